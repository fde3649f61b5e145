import type { HttpClient } from "./http.js";
import { extractBody } from "./input.js";
import type { JobsResource } from "./jobs.js";
import { Operation } from "./operation.js";
import type { Extraction, ExtractInput, ExtractOptions } from "./types.js";
import type { WaitOptions } from "./wait.js";

/** Options for the calls that wait for a result. */
export type ExtractAndWaitOptions = ExtractOptions & WaitOptions;

/** `quire.extract`: markdown, blocks with bounding boxes, and chunks from a document. */
export class ExtractResource {
  readonly #operation: Operation<ExtractInput, ExtractOptions, "extract">;

  constructor(http: HttpClient, jobs: JobsResource) {
    this.#operation = new Operation(http, jobs, { path: "/v1/extract", kind: "extract", body: extractBody });
  }

  /**
   * Extracts synchronously: the server waits up to its sync limit (60 s by default). If it
   * answers 202 instead, this polls the job until it ends, so the caller always gets a result.
   * @throws QuireJobFailedError when the job fails or is canceled; QuireApiError for a rejected request.
   */
  run(input: ExtractInput, options: ExtractAndWaitOptions = {}): Promise<Extraction> {
    return this.#operation.run(input, options);
  }

  /**
   * Submits an extract job and returns its id at once (`async: true`); follow it with
   * `quire.jobs.get(id)` / `quire.jobs.wait(id)`, or a webhook.
   */
  submit(input: ExtractInput, options: ExtractOptions = {}): Promise<string> {
    return this.#operation.submit(input, options);
  }

  /**
   * Submits a job, then polls it until it ends, calling `onProgress` as it advances. Aborting
   * `signal` stops the request or the polling; the job itself keeps running (cancel it with
   * `quire.jobs.cancel`).
   * @throws QuireJobFailedError when the job fails or is canceled; QuireTimeoutError after `timeoutMs`.
   */
  createAndPoll(input: ExtractInput, options: ExtractAndWaitOptions = {}): Promise<Extraction> {
    return this.#operation.createAndPoll(input, options);
  }
}
