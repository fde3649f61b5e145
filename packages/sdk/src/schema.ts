import type { HttpClient } from "./http.js";
import { schemaBody } from "./input.js";
import type { JobsResource } from "./jobs.js";
import { Operation } from "./operation.js";
import type { SchemaInput, SchemaOptions, SchemaResult } from "./types.js";
import type { WaitOptions } from "./wait.js";

/** Options for the calls that wait for a result. */
export type SchemaAndWaitOptions = SchemaOptions & WaitOptions;

/**
 * `quire.schema`: fills a JSON Schema from a document, with a citation (page, bbox, text) for
 * every value; a value the document does not hold comes back `null`. Fill from a document, or
 * from an earlier extraction by `{ extractionId }` (no parsing again).
 *
 * ```ts
 * const { schema_output, citations } = await quire.schema.run({ fileId }, {
 *   schemaConfig: { input_schema: { type: "object", properties: { total: { type: "number" } } } },
 * });
 * ```
 */
export class SchemaResource {
  readonly #operation: Operation<SchemaInput, SchemaOptions, "schema">;

  constructor(http: HttpClient, jobs: JobsResource) {
    this.#operation = new Operation(http, jobs, { path: "/v1/schema", kind: "schema", body: schemaBody });
  }

  /**
   * Fills the schema synchronously: the server waits up to its sync limit (60 s by default). If
   * it answers 202 instead, this polls the job until it ends, so the caller always gets a result.
   * @throws QuireApiError `INVALID_SCHEMA` (with the JSON pointer of the problem) for a schema
   *   Quire cannot fill, `NOT_FOUND` for an unknown `extractionId`; QuireJobFailedError when the
   *   job fails or is canceled.
   */
  run(input: SchemaInput, options: SchemaAndWaitOptions): Promise<SchemaResult> {
    return this.#operation.run(input, options);
  }

  /**
   * Submits a schema job and returns its id at once (`async: true`); follow it with
   * `quire.jobs.get(id)` / `quire.jobs.wait(id)`, or a webhook. The schema is checked before
   * the job is made, so an invalid one throws here.
   */
  runJob(input: SchemaInput, options: SchemaOptions): Promise<string> {
    return this.#operation.submit(input, options);
  }

  /** The same as `runJob`, named as on `quire.extract` and `quire.split`. */
  submit(input: SchemaInput, options: SchemaOptions): Promise<string> {
    return this.#operation.submit(input, options);
  }

  /**
   * Submits a job, then polls it until it ends, calling `onProgress` as it advances. Aborting
   * `signal` stops the request or the polling; the job itself keeps running (cancel it with
   * `quire.jobs.cancel`).
   * @throws QuireJobFailedError when the job fails or is canceled; QuireTimeoutError after `timeoutMs`.
   */
  createAndPoll(input: SchemaInput, options: SchemaAndWaitOptions): Promise<SchemaResult> {
    return this.#operation.createAndPoll(input, options);
  }
}
