/**
 * The REST API's shapes, declared here rather than imported from `@quire/contracts` so the SDK
 * can be published on its own. Field names stay as the wire sends them (snake_case), so what
 * you read in the API reference is what you get.
 */

/** `[x0, y0, x1, y1]`, normalized to 0..1 from the page's top-left corner. */
export type BBox = [number, number, number, number];

export type BlockType =
  | "title" | "heading" | "paragraph" | "list_item" | "table" | "figure" | "caption"
  | "code" | "formula" | "header" | "footer" | "page_number";

/** One layout element of a page, in reading order. */
export interface Block {
  id: string;
  type: BlockType;
  text: string;
  bbox: BBox;
  /** Heading level 1..6, for `title` and `heading`; nesting depth (1 = outermost), for `list_item`. */
  level?: number;
  /** OCR confidence 0..1, when the block came from OCR. */
  confidence?: number;
  /**
   * Id of the block this one continues: a paragraph broken by a column or page break. The
   * markdown joins the two; each keeps its own page and bbox, so both can be cited.
   */
  continues?: string;
}

/** One cell of a table; a spanning cell appears once, at its top-left grid position. */
export interface TableCell {
  text: string;
  bbox: BBox;
  /** Grid rows the cell covers (1 for an ordinary cell). */
  row_span: number;
  /** Grid columns the cell covers (1 for an ordinary cell). */
  col_span: number;
}

/** A table's cell structure; its text is also in the markdown (see the `tables` option). */
export interface Table {
  /** The `table` block this table is drawn as. */
  block_id: string;
  page_number: number;
  bbox: BBox;
  /** Rows top to bottom; each holds the cells that start in it, left to right. */
  rows: TableCell[][];
}

export interface ExtractionPage {
  /** 1-based. */
  page_number: number;
  /** Page width in PDF points (1/72 in). */
  width: number;
  /** Page height in PDF points (1/72 in). */
  height: number;
  ocr: boolean;
  ocr_reason?: string;
  blocks: Block[];
}

export interface Chunk {
  text: string;
  pages: number[];
  block_ids: string[];
  /** The headings the chunk sits under, outermost first (e.g. `["2 Methods", "2.1 Data"]`). */
  headings?: string[];
}

/** The result of an extract job, and what `quire.extractions.get(id)` returns. */
export interface Extraction {
  /** `ext_<32 hex>`: read it again with `quire.extractions.get`, or split it with `{ extractionId }`. */
  extraction_id: string;
  markdown: string;
  page_count: number;
  pages: ExtractionPage[];
  tables: Table[];
  chunks: Chunk[];
  usage: { pages: number; cached_parse: boolean; timings?: JobTimings };
}

/**
 * `usage.timings`: where the job's time went, in milliseconds, per stage in the order they ran
 * (`queue_ms`, `run_ms`, and the parts the stage measures: `load_ms`, `fetch_ms`, `ocr_ms`
 * summed over pages, `store_ms`; the last stage has no `store_ms`).
 */
export interface JobTimings {
  total_ms: number;
  stages: Record<string, Record<string, number>>;
}

// ── Split (/v1/split) ─────────────────────────────────────────────────────────────────────────

/** One named section of a split request: pages are assigned to it by what they say. */
export interface SplitSectionInput {
  name: string;
  /** What the section's pages look like or are about; the more specific, the better. */
  description: string;
  /** e.g. `"invoice number"`: each distinct document of the section becomes its own partition, keyed by it. */
  partition_key?: string;
}

/** The split option `splitConfig` (sent as `split_config`). */
export interface SplitConfig {
  /** 1–50 sections with unique names. */
  split_input: SplitSectionInput[];
  /** Free-text guidance (used by the `llm` engine; the deterministic engine ignores it). */
  split_rules?: string;
}

/** One distinct document inside a section, e.g. one invoice of a bundle. */
export interface SplitPartition {
  /** The value of the section's `partition_key` on these pages (e.g. `"INV-1042"`), or `""` when none was found. */
  key: string;
  pages: number[];
  page_ranges: string;
}

export interface SplitSectionResult {
  name: string;
  /** 1-based page numbers, ascending; a page belongs to at most one section. */
  pages: number[];
  /** The same pages as ranges, e.g. `"1-3,7"`. */
  page_ranges: string;
  /** 0..1 */
  confidence: number;
  /** The evidence that decided, e.g. `"title page 'Invoice'; 'Page 1 of 3' reset"`. */
  reason: string;
  /** Present when the section has a `partition_key`. */
  partitions?: SplitPartition[];
}

/** The result of a split job. */
export interface SplitResult {
  split_id: string;
  /** The extraction the split read; reusable as `{ extractionId }` by later calls. */
  extraction_id: string;
  page_count: number;
  splits: SplitSectionResult[];
  /** Pages no section claimed. */
  unassigned_pages: number[];
  usage: { pages: number; engine: SplitEngine; cached_parse: boolean; timings?: JobTimings };
}

/** `deterministic`: offline page scoring; `llm`: the OpenAI-compatible model the operator configured. */
export type SplitEngine = "deterministic" | "llm";

// ── Schema (/v1/schema) ───────────────────────────────────────────────────────────────────────

/** The schema option `schemaConfig` (sent as `schema_config`). */
export interface SchemaConfig {
  /**
   * A JSON Schema (2020-12, or draft-07 via `$schema`): nested objects, arrays of objects (line
   * items), string/number/integer/boolean, `format` date | date-time | email | uri, `enum`,
   * `required`, `description`. At most 64 KiB, 8 levels, 500 properties.
   */
  input_schema: Record<string, unknown>;
  /** Guidance for the `llm` engine; the deterministic one reads date order hints such as "MM/DD". */
  schema_prompt?: string;
}

/** Where one value of `schema_output` was read. */
export interface SchemaCitation {
  /** 1-based. */
  page: number;
  bbox: BBox;
  /** The block's or table cell's text, which contains the value. */
  text: string;
  block_id: string;
}

/** The result of a schema job. */
export interface SchemaResult {
  schema_id: string;
  /** The extraction the values were read from; reusable as `{ extractionId }` by later calls. */
  extraction_id: string;
  /** The schema filled; a value the document does not hold is `null`, never guessed. */
  schema_output: Record<string, unknown>;
  /** JSON pointer into `schema_output` (e.g. `"/total"`, `"/line_items/0/amount"`) → where the value was read. */
  citations: Record<string, SchemaCitation[]>;
  /** JSON pointer → 0..1. */
  confidence: Record<string, number>;
  /** `schema_output` checked against the input schema; an invalid output is still returned, flagged. */
  validation: { valid: boolean; errors: { pointer: string; message: string }[] };
  /** `llm` engine: pointers whose answer was not found in the document, and so were set to null. */
  dropped?: string[];
  usage: { pages: number; engine: SchemaEngine; cached_parse: boolean; fields_filled: number; timings?: JobTimings };
}

/** `deterministic`: offline matching of labels and values; `llm`: the OpenAI-compatible model the operator configured. */
export type SchemaEngine = "deterministic" | "llm";

export type JobStatus = "pending" | "processing" | "completed" | "failed" | "canceled";
export type JobKind = "extract" | "split" | "schema";

export interface JobProgress {
  /** 0..100. */
  pct: number;
  /** Human-readable, e.g. `"page 3/12"`; may be empty. */
  message: string;
  /** The pipeline stage doing the work, e.g. `"parse"`; may be empty. */
  stage: string;
}

export interface JobError {
  code: string;
  message: string;
}

interface JobFields {
  job_id: string;
  status: JobStatus;
  /** ISO 8601. */
  created_at: string;
  /** ISO 8601. */
  updated_at: string;
  /** ISO 8601, or null while the job runs. */
  completed_at: string | null;
  progress: JobProgress;
  metadata: Record<string, unknown>;
  /** W3C trace id of the job's trace (every service's spans and log lines about the job carry it); null for jobs recorded before it was kept. */
  trace_id: string | null;
  error?: JobError;
}

/** An extract job; `result` is present once it has completed. */
export interface ExtractJob extends JobFields {
  kind: "extract";
  result?: Extraction;
}

/** A split job; `result` is present once it has completed. */
export interface SplitJob extends JobFields {
  kind: "split";
  result?: SplitResult;
}

/** A schema job; `result` is present once it has completed. */
export interface SchemaJob extends JobFields {
  kind: "schema";
  result?: SchemaResult;
}

/** `GET /v1/jobs/{id}`. Check `kind` to narrow `result` to an `Extraction`, a `SplitResult` or a `SchemaResult`. */
export type Job = ExtractJob | SplitJob | SchemaJob;

/** A job as `GET /v1/jobs` lists it: without its result. */
export type JobSummary = Omit<Job, "result">;

export interface JobPage {
  jobs: JobSummary[];
  /** Pass as `cursor` to get the next page; null on the last page. */
  next_cursor: string | null;
}

/** `POST /v1/files`. */
export interface UploadedFile {
  /** `file_<sha256 hex>`: uploads are content-addressed, so the same bytes give the same id. */
  file_id: string;
  bytes: number;
  media_type: string;
  filename: string | null;
}

/** `DELETE /v1/jobs/{id}`. */
export interface CanceledJob {
  job_id: string;
  status: "canceled";
}

/** The document to process: bytes to upload, a URL the server fetches, or an earlier upload. */
export type ExtractInput =
  | { file: Uint8Array | Blob; filename?: string }
  | { fileUrl: string }
  | { fileId: string };

/**
 * What to split: a document as for extract, or an earlier extraction (`extraction_id` of an
 * extract or split result, `ext_…`), which skips parsing and extracting.
 */
export type SplitInput = ExtractInput | { extractionId: string };

/** What to fill a schema from: a document as for extract, or an earlier extraction (`{ extractionId }`). */
export type SchemaInput = SplitInput;

/** The extract option `chunking`: how the document is cut into `chunks`. */
export interface ChunkingOptions {
  /** `section`: a chunk per heading; `page`: a chunk per page; `size`: blocks packed up to `maxChars`. */
  strategy: "section" | "page" | "size";
  /**
   * Longest chunk, in characters (200..100000; server default 4000). Longer sections and pages
   * are cut between blocks, then between sentences. Sent as `max_chars`.
   */
  maxChars?: number;
}

/** The webhook event types Quire sends; `job.progress` only to targets that asked for it. */
export type WebhookEventType = "job.completed" | "job.failed" | "job.canceled" | "job.progress";

/** How the document is read (the parse stage); on every call that takes a file. */
export interface ParseOptions {
  /** Page selection, 1-based, e.g. `"1-3,7"`. All pages when omitted. */
  pages?: string;
  /** Password of an encrypted PDF. */
  password?: string;
  /** @default "auto" */
  ocr?: "auto" | "always" | "never";
  /** Tesseract language codes. @default ["eng"] */
  languages?: string[];
}

/** Options every processing call (extract, split, schema) takes. */
export interface ProcessingOptions {
  /** Any JSON object (at most 16 KiB); echoed in the job and its webhooks. */
  metadata?: Record<string, unknown>;
  /**
   * POST a signed Standard Webhooks message here when the job ends (http/https; private
   * addresses are refused). For endpoints that receive every job, see `quire.webhooks.create`.
   */
  webhookUrl?: string;
  /**
   * `whsec_<base64 of 24–64 random bytes>` to sign this job's webhooks with (check them with
   * `verifyWebhook`); unsigned without it. Never returned by the API. Needs `webhookUrl`.
   */
  webhookSecret?: string;
  /** Event types to send to `webhookUrl`. Needs `webhookUrl`. @default the terminal ones (completed, failed, canceled) */
  webhookEvents?: WebhookEventType[];
  /** Sent as `Idempotency-Key`; a random UUID when omitted. */
  idempotencyKey?: string;
  /** Aborts the request (and any polling that follows it). */
  signal?: AbortSignal;
}

export interface ExtractOptions extends ParseOptions, ProcessingOptions {
  /**
   * How tables appear in the markdown: `"markdown"` pipe tables (a spanning cell repeats its
   * text) or `"html"` (keeps rowspan/colspan). The cell structure is in `tables` either way.
   * @default "markdown"
   */
  tables?: "markdown" | "html";
  /** How `chunks` are cut. One chunk per page when omitted. */
  chunking?: ChunkingOptions;
  /**
   * Keep the extraction past the retention period (`QUIRE_RETENTION_HOURS`), so
   * `quire.extractions.get(id)` and `{ extractionId }` inputs keep working. @default false
   */
  persist?: boolean;
}

/** Options of `quire.split`; the parse options are ignored for an `{ extractionId }` input (nothing is parsed). */
export interface SplitOptions extends ParseOptions, ProcessingOptions {
  /** The sections to split into (sent as `split_config`). */
  splitConfig: SplitConfig;
  /** @default the server's `QUIRE_SPLIT_ENGINE` ("deterministic" unless the operator changed it) */
  engine?: SplitEngine;
}

/** Options of `quire.schema`; the parse options are ignored for an `{ extractionId }` input (nothing is parsed). */
export interface SchemaOptions extends ParseOptions, ProcessingOptions {
  /** The JSON Schema to fill (sent as `schema_config`). */
  schemaConfig: SchemaConfig;
  /** @default the server's `QUIRE_SCHEMA_ENGINE` ("deterministic" unless the operator changed it) */
  engine?: SchemaEngine;
}

export interface ListJobsParams {
  status?: JobStatus;
  kind?: JobKind;
  /** 1..100. @default 20 (server side) */
  limit?: number;
  cursor?: string;
}

// ── Webhook endpoints (/v1/webhooks) ──────────────────────────────────────────────────────────

/** `quire.webhooks.create()`. */
export interface CreateWebhookParams {
  /** Receiver URL (http/https; private addresses are refused). */
  url: string;
  /** Event types to receive. `job.progress` is opt-in. @default the terminal ones (completed, failed, canceled) */
  events?: WebhookEventType[];
  /** Up to 500 characters. @default "" */
  description?: string;
}

/** A registered webhook endpoint. Its secret is shown only by `create` and `rotate`. */
export interface WebhookEndpoint {
  /** `ep_<32 hex>`. */
  endpoint_id: string;
  url: string;
  events: WebhookEventType[];
  description: string;
  /** ISO 8601. */
  created_at: string;
  /** True after a 410 Gone, or after every attempt failed for the disable period; register it again to resume. */
  disabled: boolean;
  disabled_reason: string | null;
  /** ISO 8601. */
  disabled_at: string | null;
  /** Start of the current run of failed attempts (ISO 8601), or null while deliveries succeed. */
  failing_since: string | null;
  /** While set (ISO 8601), deliveries carry a second signature made with the previous secret. */
  previous_secret_expires_at: string | null;
}

/** `POST /v1/webhooks`: the endpoint and its signing secret. */
export interface CreatedWebhookEndpoint extends WebhookEndpoint {
  /** `whsec_<base64>`: shown only in this response, so store it now; verify deliveries with it. */
  secret: string;
}

/** `GET /v1/webhooks/signing-secret`. */
export interface TenantSigningSecret {
  /** whsec_<base64>: verify deliveries of job webhooks that named no webhook_secret with it. */
  secret: string;
  signs: string;
}

/** `POST /v1/webhooks/{id}/rotate`. */
export interface RotatedWebhookSecret {
  endpoint_id: string;
  /** The new `whsec_…` secret, shown only in this response. */
  secret: string;
  /** Until then (ISO 8601) deliveries are signed with the previous secret too. */
  previous_secret_expires_at: string;
}

/** `DELETE /v1/webhooks/{id}`. */
export interface DeletedWebhookEndpoint {
  endpoint_id: string;
  deleted: true;
}

/** `quire.webhooks.deliveries()`: filters for the delivery log. */
export interface ListWebhookDeliveriesParams {
  /** Only deliveries for this job (`job_<32 hex>`). */
  jobId?: string;
  /** Only deliveries to this endpoint (`ep_<32 hex>`), or `"request"` for jobs' own `webhookUrl`. */
  endpointId?: string;
  /** 1..100. @default 50 (server side) */
  limit?: number;
}

export interface WebhookDeliveryAttempt {
  /** 1-based. */
  attempt: number;
  /** ISO 8601. */
  time: string;
  /** The receiver's HTTP status, or null when none came (connection error, timeout). */
  status_code: number | null;
  latency_ms: number;
  error: string | null;
  /** True for an attempt asked for with `retryDelivery`. */
  manual: boolean;
}

/** One event sent (or being sent) to one target, with every attempt. */
export interface WebhookDelivery {
  /** `dlv_<32 hex>`. */
  delivery_id: string;
  job_id: string;
  /** The registered endpoint, or null for the job's own `webhook_url`. */
  endpoint_id: string | null;
  url: string;
  event_type: WebhookEventType;
  /** The `webhook-id` header: the same on every attempt and replay, so receivers can drop duplicates. */
  message_id: string;
  status: "pending" | "succeeded" | "failed";
  /** ISO 8601. */
  created_at: string;
  /** ISO 8601, or null when no attempt is scheduled. */
  next_attempt_at: string | null;
  attempts: WebhookDeliveryAttempt[];
}

/** `POST /v1/webhooks/deliveries/{id}/retry`: the replay is scheduled. */
export interface RetriedWebhookDelivery {
  delivery_id: string;
  status: "pending";
  /** ISO 8601. */
  next_attempt_at: string;
}
