import { QuireJobFailedError, failedJobIdOf, isQuireApiError } from "./errors.js";
import type { HttpClient, HttpResponse } from "./http.js";
import { extractBody } from "./input.js";
import type { JobsResource } from "./jobs.js";
import type { Extraction, ExtractInput, ExtractOptions, Job } from "./types.js";
import type { WaitOptions } from "./wait.js";

/** `POST /v1/extract` answers: 200 with the result (or `canceled`), or 202 with a job id. */
type ExtractAnswer =
  | { job_id: string; status: "completed"; result: Extraction }
  | { job_id: string; status: "canceled" | "pending" };

/** Options for the calls that wait for a result. */
export type ExtractAndWaitOptions = ExtractOptions & WaitOptions;

/** `quire.extract`: markdown, blocks with bounding boxes, and chunks from a document. */
export class ExtractResource {
  readonly #http: HttpClient;
  readonly #jobs: JobsResource;

  constructor(http: HttpClient, jobs: JobsResource) {
    this.#http = http;
    this.#jobs = jobs;
  }

  /**
   * Extracts synchronously: the server waits up to its sync limit (60 s by default). If it
   * answers 202 instead, this polls the job until it ends, so the caller always gets a result.
   * @throws QuireJobFailedError when the job fails or is canceled; QuireApiError for a rejected request.
   */
  async run(input: ExtractInput, options: ExtractAndWaitOptions = {}): Promise<Extraction> {
    const res = await this.#post(input, options, false).catch(asJobFailure);
    const answer = res.body;
    if (answer.status === "completed") return answer.result;
    if (answer.status === "canceled") throw canceled(answer.job_id);
    return resultOf(await this.#jobs.wait(answer.job_id, options));
  }

  /**
   * Submits an extract job and returns its id at once (`async: true`); follow it with
   * `quire.jobs.get(id)` / `quire.jobs.wait(id)`, or a webhook.
   */
  async submit(input: ExtractInput, options: ExtractOptions = {}): Promise<string> {
    const res = await this.#post(input, options, true);
    return res.body.job_id;
  }

  /**
   * Submits a job, then polls it until it ends, calling `onProgress` as it advances. Aborting
   * `signal` stops the request or the polling; the job itself keeps running (cancel it with
   * `quire.jobs.cancel`).
   * @throws QuireJobFailedError when the job fails or is canceled; QuireTimeoutError after `timeoutMs`.
   */
  async createAndPoll(input: ExtractInput, options: ExtractAndWaitOptions = {}): Promise<Extraction> {
    const jobId = await this.submit(input, options);
    return resultOf(await this.#jobs.wait(jobId, options));
  }

  #post(input: ExtractInput, options: ExtractOptions, asJob: boolean): Promise<HttpResponse<ExtractAnswer>> {
    return this.#http.request<ExtractAnswer>({
      method: "POST",
      path: "/v1/extract",
      body: extractBody(input, options, asJob),
      idempotencyKey: options.idempotencyKey,
      signal: options.signal,
    });
  }
}

/** A finished job → its extraction, or the error it ended with. */
export function resultOf(job: Job): Extraction {
  if (job.status === "completed" && job.result) return job.result;
  if (job.status === "canceled") throw canceled(job.job_id, job.error?.message);
  if (job.status === "completed") throw new QuireJobFailedError(job.job_id, "NO_RESULT", `job ${job.job_id} completed without an extraction result`);
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
