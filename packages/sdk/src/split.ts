import type { HttpClient } from "./http.js";
import { splitBody } from "./input.js";
import type { JobsResource } from "./jobs.js";
import { Operation } from "./operation.js";
import type { SplitInput, SplitOptions, SplitResult } from "./types.js";
import type { WaitOptions } from "./wait.js";

/** Options for the calls that wait for a result. */
export type SplitAndWaitOptions = SplitOptions & WaitOptions;

/**
 * `quire.split`: cuts a document bundle into named sections (page ranges, and partitions by a
 * key such as an invoice number). Split a document, or an earlier extraction by `{ extractionId }`.
 *
 * ```ts
 * const { splits } = await quire.split.run({ extractionId: extraction.extraction_id }, {
 *   splitConfig: { split_input: [{ name: "invoice", description: "Invoices", partition_key: "invoice number" }] },
 * });
 * ```
 */
export class SplitResource {
  readonly #operation: Operation<SplitInput, SplitOptions, "split">;

  constructor(http: HttpClient, jobs: JobsResource) {
    this.#operation = new Operation(http, jobs, { path: "/v1/split", kind: "split", body: splitBody });
  }

  /**
   * Splits synchronously: the server waits up to its sync limit (60 s by default). If it answers
   * 202 instead, this polls the job until it ends, so the caller always gets a result.
   * @throws QuireJobFailedError when the job fails or is canceled; QuireApiError for a rejected
   *   request (`NOT_FOUND` for an unknown `extractionId`).
   */
  run(input: SplitInput, options: SplitAndWaitOptions): Promise<SplitResult> {
    return this.#operation.run(input, options);
  }

  /**
   * Submits a split job and returns its id at once (`async: true`); follow it with
   * `quire.jobs.get(id)` / `quire.jobs.wait(id)`, or a webhook.
   */
  submit(input: SplitInput, options: SplitOptions): Promise<string> {
    return this.#operation.submit(input, options);
  }

  /**
   * Submits a job, then polls it until it ends, calling `onProgress` as it advances. Aborting
   * `signal` stops the request or the polling; the job itself keeps running (cancel it with
   * `quire.jobs.cancel`).
   * @throws QuireJobFailedError when the job fails or is canceled; QuireTimeoutError after `timeoutMs`.
   */
  createAndPoll(input: SplitInput, options: SplitAndWaitOptions): Promise<SplitResult> {
    return this.#operation.createAndPoll(input, options);
  }
}
