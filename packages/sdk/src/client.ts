import { ExtractResource } from "./extract.js";
import { ExtractionsResource } from "./extractions.js";
import { FilesResource } from "./files.js";
import { HttpClient, type QuireOptions } from "./http.js";
import { JobsResource } from "./jobs.js";
import { SchemaResource } from "./schema.js";
import { SplitResource } from "./split.js";
import { WebhooksResource } from "./webhook-endpoints.js";

/**
 * The Quire API client. One instance per API key; it holds no connections, so create it once
 * and share it.
 *
 * ```ts
 * const quire = new Quire(process.env.QUIRE_API_KEY!, { baseUrl: "http://localhost:8080" });
 * const extraction = await quire.extract.run({ file: await readFile("invoice.pdf") });
 * console.log(extraction.markdown);
 * ```
 *
 * Every POST carries an `Idempotency-Key` (a random UUID unless you pass one), kept the same
 * across retries. Network errors and 429/502/503/504 are retried `maxRetries` times with
 * exponential backoff and jitter, honouring `retry-after`; retries carry `quire-retry-count`.
 */
export class Quire {
  readonly #http: HttpClient;
  #files: FilesResource | undefined;
  #jobs: JobsResource | undefined;
  #extract: ExtractResource | undefined;
  #split: SplitResource | undefined;
  #schema: SchemaResource | undefined;
  #extractions: ExtractionsResource | undefined;
  #webhooks: WebhooksResource | undefined;

  /**
   * @param apiKey Sent as `x-api-key`.
   * @throws TypeError when `apiKey` is empty.
   */
  constructor(apiKey: string, options: QuireOptions = {}) {
    if (typeof apiKey !== "string" || apiKey.trim() === "") throw new TypeError("new Quire(apiKey): an API key is required");
    this.#http = new HttpClient(apiKey.trim(), options);
  }

  /** The API base URL in use, without a trailing slash. */
  get baseUrl(): string {
    return this.#http.baseUrl;
  }

  /** Upload documents once and reuse them by `file_id`. */
  get files(): FilesResource {
    return (this.#files ??= new FilesResource(this.#http));
  }

  /** Read, list, cancel and wait for jobs. */
  get jobs(): JobsResource {
    return (this.#jobs ??= new JobsResource(this.#http));
  }

  /** Extract markdown, blocks and chunks: `run`, `submit`, `createAndPoll`. */
  get extract(): ExtractResource {
    return (this.#extract ??= new ExtractResource(this.#http, this.jobs));
  }

  /** Split a bundle into named sections (page ranges, partitions): `run`, `submit`, `createAndPoll`. */
  get split(): SplitResource {
    return (this.#split ??= new SplitResource(this.#http, this.jobs));
  }

  /** Fill a JSON Schema from a document, every value cited: `run`, `runJob`, `createAndPoll`. */
  get schema(): SchemaResource {
    return (this.#schema ??= new SchemaResource(this.#http, this.jobs));
  }

  /** Stored extractions, by `extraction_id`. */
  get extractions(): ExtractionsResource {
    return (this.#extractions ??= new ExtractionsResource(this.#http));
  }

  /** Webhook endpoints (register, rotate the secret, delete) and the delivery log with replays. */
  get webhooks(): WebhooksResource {
    return (this.#webhooks ??= new WebhooksResource(this.#http));
  }
}
