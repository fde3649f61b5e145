/**
 * The REST API's shapes. The wire types come from `gen/api.ts`, generated from the server's own
 * schemas (`pnpm generate:rest`), so the SDK can be published on its own and still match the
 * server. Field names stay as the wire sends them (snake_case), so what you read in the API
 * reference is what you get. The options and inputs below are the SDK's own (camelCase).
 */
import type * as api from "./gen/api.js";

export type {
  BBox,
  Block,
  BlockType,
  Chunk,
  Extraction,
  ExtractionPage,
  JobError,
  JobKind,
  JobProgress,
  JobStatus,
  JobSummary,
  JobTimings,
  SchemaCitation,
  SchemaConfig,
  SchemaResult,
  SplitConfig,
  SplitPartition,
  SplitResult,
  SplitSectionInput,
  SplitSectionResult,
  Table,
  TableCell,
  WebhookDelivery,
  WebhookDeliveryAttempt,
  WebhookEventType,
} from "./gen/api.js";

/** `deterministic`: offline page scoring; `llm`: the OpenAI-compatible model the operator configured. */
export type SplitEngine = api.Engine;
/** `deterministic`: offline matching of labels and values; `llm`: the OpenAI-compatible model the operator configured. */
export type SchemaEngine = api.Engine;

type JobFields = Omit<api.Job, "kind" | "result">;

/** An extract job; `result` is present once it has completed. */
export interface ExtractJob extends JobFields {
  kind: "extract";
  result?: api.Extraction;
}

/** A split job; `result` is present once it has completed. */
export interface SplitJob extends JobFields {
  kind: "split";
  result?: api.SplitResult;
}

/** A schema job; `result` is present once it has completed. */
export interface SchemaJob extends JobFields {
  kind: "schema";
  result?: api.SchemaResult;
}

/** `GET /v1/jobs/{id}`. Check `kind` to narrow `result` to an `Extraction`, a `SplitResult` or a `SchemaResult`. */
export type Job = ExtractJob | SplitJob | SchemaJob;

/** `GET /v1/jobs`: a page of jobs, without their results. */
export type JobPage = api.JobList;

/** `POST /v1/files`. */
export type UploadedFile = api.FileUploaded;

/** `DELETE /v1/jobs/{id}`. */
export interface CanceledJob extends api.JobAccepted {
  status: "canceled";
}

/** A registered webhook endpoint. Its secret is shown only by `create` and `rotate`. */
export type WebhookEndpoint = api.Webhook;
/** `POST /v1/webhooks`: the endpoint and its signing secret. */
export type CreatedWebhookEndpoint = api.WebhookCreated;
/** `GET /v1/webhooks/signing-secret`. */
export type TenantSigningSecret = api.SigningSecret;
/** `POST /v1/webhooks/{id}/rotate`. */
export type RotatedWebhookSecret = api.WebhookRotated;
/** `DELETE /v1/webhooks/{id}`. */
export type DeletedWebhookEndpoint = api.WebhookDeleted;
/** `POST /v1/webhooks/deliveries/{id}/retry`: the replay is scheduled. */
export type RetriedWebhookDelivery = api.DeliveryRetried;
/** The body of a Quire webhook (Standard Webhooks shape: `{type, timestamp, data}`). */
export type WebhookEvent = api.WebhookEvent;

/** The document to process: bytes to upload, a URL the server fetches, or an earlier upload. */
export type ExtractInput = { file: Uint8Array | Blob; filename?: string } | { fileUrl: string } | { fileId: string };

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
  webhookEvents?: api.WebhookEventType[];
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
  splitConfig: api.SplitConfig;
  /** @default the server's `QUIRE_SPLIT_ENGINE` ("deterministic" unless the operator changed it) */
  engine?: SplitEngine;
}

/** Options of `quire.schema`; the parse options are ignored for an `{ extractionId }` input (nothing is parsed). */
export interface SchemaOptions extends ParseOptions, ProcessingOptions {
  /** The JSON Schema to fill (sent as `schema_config`). */
  schemaConfig: api.SchemaConfig;
  /** @default the server's `QUIRE_SCHEMA_ENGINE` ("deterministic" unless the operator changed it) */
  engine?: SchemaEngine;
}

export interface ListJobsParams {
  status?: api.JobStatus;
  kind?: api.JobKind;
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
  events?: api.WebhookEventType[];
  /** Up to 500 characters. @default "" */
  description?: string;
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
