import type { HttpClient } from "./http.js";
import type { CanceledJob, Job, JobPage, JobSummary, ListJobsParams } from "./types.js";
import { waitForJob, type WaitOptions } from "./wait.js";

export interface RequestOptions {
  signal?: AbortSignal;
}

/** `quire.jobs`: read, list, cancel and wait for jobs. */
export class JobsResource {
  readonly #http: HttpClient;

  constructor(http: HttpClient) {
    this.#http = http;
  }

  /**
   * A job's status, progress, and its result once completed.
   * @throws QuireApiError `NOT_FOUND` (404) for an unknown id or another tenant's job.
   */
  async get(jobId: string, options: RequestOptions = {}): Promise<Job> {
    const res = await this.#http.request<Job>({ method: "GET", path: jobPath(jobId), signal: options.signal });
    return res.body;
  }

  /** One page of this tenant's jobs, newest first. Pass `next_cursor` back as `cursor` for the next page. */
  async list(params: ListJobsParams = {}, options: RequestOptions = {}): Promise<JobPage> {
    const { status, kind, limit, cursor } = params;
    const query = { status, kind, limit, cursor };
    const res = await this.#http.request<JobPage>({ method: "GET", path: "/v1/jobs", query, signal: options.signal });
    return res.body;
  }

  /**
   * Every job matching the filter, fetching the next page (by cursor) only when the previous
   * one has been consumed: `for await (const job of quire.jobs.listAll({ status: "failed" }))`.
   */
  async *listAll(params: Omit<ListJobsParams, "cursor"> = {}, options: RequestOptions = {}): AsyncGenerator<JobSummary, void, undefined> {
    let cursor: string | undefined;
    do {
      const page = await this.list({ ...params, ...(cursor === undefined ? {} : { cursor }) }, options);
      yield* page.jobs;
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
  }

  /**
   * Asks the pipeline to stop the job; workers stop between pages.
   * @throws QuireApiError `CONFLICT` (409) when the job has already ended, `NOT_FOUND` (404).
   */
  async cancel(jobId: string, options: RequestOptions = {}): Promise<CanceledJob> {
    const res = await this.#http.request<CanceledJob>({ method: "DELETE", path: jobPath(jobId), signal: options.signal });
    return res.body;
  }

  /**
   * Polls until the job ends and returns it, whatever the outcome: check `status` (unlike
   * `extract.createAndPoll`, a failed job does not throw here).
   * @throws QuireTimeoutError after `timeoutMs`; QuireApiError if a poll fails after retries.
   */
  wait(jobId: string, options: WaitOptions = {}): Promise<Job> {
    return waitForJob((id, signal) => this.get(id, signal ? { signal } : {}), jobId, options);
  }
}

const jobPath = (jobId: string): string => `/v1/jobs/${encodeURIComponent(jobId)}`;
