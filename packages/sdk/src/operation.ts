/**
 * What every processing operation (extract, split) does the same way: POST the request, take a
 * 200's result or poll the job a 202 names, and turn a job that did not complete into an error.
 */
import { QuireJobFailedError, failedJobIdOf, isQuireApiError } from "./errors.js";
import type { HttpClient, HttpResponse, RequestBody } from "./http.js";
import type { JobsResource } from "./jobs.js";
import type { Job, ProcessingOptions } from "./types.js";
import type { WaitOptions } from "./wait.js";

/** A job kind's result type: `Extraction` for `"extract"`, `SplitResult` for `"split"`. */
export type ResultOf<K extends Job["kind"]> = NonNullable<Extract<Job, { kind: K }>["result"]>;

/** `POST /v1/<operation>` answers: 200 with the result (or `canceled`), or 202 with a job id. */
type Answer<R> = { job_id: string; status: "completed"; result: R } | { job_id: string; status: "canceled" | "pending" };

export interface OperationSpec<I, O, K extends Job["kind"]> {
  /** e.g. `/v1/extract`. */
  path: string;
  /** The job kind the operation creates, checked on the jobs it polls. */
  kind: K;
  body: (input: I, options: O, asJob: boolean) => RequestBody;
}

/**
 * `run` / `submit` / `createAndPoll` for one operation. The resources (`quire.extract`,
 * `quire.split`) hold one each and give the methods their own names and documentation.
 */
export class Operation<I, O extends ProcessingOptions, K extends Job["kind"]> {
  readonly #http: HttpClient;
  readonly #jobs: JobsResource;
  readonly #spec: OperationSpec<I, O, K>;

  constructor(http: HttpClient, jobs: JobsResource, spec: OperationSpec<I, O, K>) {
    this.#http = http;
    this.#jobs = jobs;
    this.#spec = spec;
  }

  /** The sync call; a 202 is followed by polling, so the caller always gets a result. */
  async run(input: I, options: O & WaitOptions): Promise<ResultOf<K>> {
    const res = await this.#post(input, options, false).catch(asJobFailure);
    const answer = res.body;
    if (answer.status === "completed") return answer.result;
    if (answer.status === "canceled") throw canceled(answer.job_id);
    return resultOf(await this.#jobs.wait(answer.job_id, options), this.#spec.kind);
  }

  /** Asks for a job (`async: true`) and returns its id at once. */
  async submit(input: I, options: O): Promise<string> {
    const res = await this.#post(input, options, true);
    return res.body.job_id;
  }

  /** Submits a job, then polls it until it ends, reporting progress. */
  async createAndPoll(input: I, options: O & WaitOptions): Promise<ResultOf<K>> {
    const jobId = await this.submit(input, options);
    return resultOf(await this.#jobs.wait(jobId, options), this.#spec.kind);
  }

  #post(input: I, options: O, asJob: boolean): Promise<HttpResponse<Answer<ResultOf<K>>>> {
    return this.#http.request<Answer<ResultOf<K>>>({
      method: "POST",
      path: this.#spec.path,
      body: this.#spec.body(input, options, asJob),
      idempotencyKey: options.idempotencyKey,
      signal: options.signal,
    });
  }
}

/**
 * A finished job → its result, or the error it ended with.
 * @throws QuireJobFailedError when the job failed, was canceled, or completed without a result;
 *   TypeError when the job is of another kind than `kind`.
 */
export function resultOf<K extends Job["kind"]>(job: Job, kind: K): ResultOf<K> {
  if (job.status === "completed" && job.result) {
    if (job.kind !== kind) throw new TypeError(`job ${job.job_id} has kind ${job.kind}, not ${kind}`);
    return job.result as ResultOf<K>;
  }
  if (job.status === "canceled") throw canceled(job.job_id, job.error?.message);
  if (job.status === "completed") throw new QuireJobFailedError(job.job_id, "NO_RESULT", `job ${job.job_id} completed without a result`);
  const code = job.error?.code ?? "UNKNOWN";
  throw new QuireJobFailedError(job.job_id, code, job.error?.message ?? `job ${job.job_id} ${job.status}`);
}

function canceled(jobId: string, message = "canceled by request"): QuireJobFailedError {
  return new QuireJobFailedError(jobId, "CANCELED", `job ${jobId} was canceled: ${message}`, "canceled");
}

/** A sync call whose job failed comes back as an API error naming the job; surface it as a job failure. */
function asJobFailure(err: unknown): never {
  const jobId = isQuireApiError(err) ? failedJobIdOf(err) : undefined;
  if (jobId === undefined || !isQuireApiError(err)) throw err;
  throw new QuireJobFailedError(jobId, err.code, err.message, "failed", { cause: err });
}
