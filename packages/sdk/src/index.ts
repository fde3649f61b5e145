/**
 * `@quire/sdk`: the TypeScript client for the Quire document-processing API.
 *
 * ```ts
 * import { Quire, QuireJobFailedError } from "@quire/sdk";
 *
 * const quire = new Quire("sk_…");
 * const extraction = await quire.extract.createAndPoll({ fileUrl: "https://example.com/a.pdf" }, {
 *   onProgress: (p) => console.log(`${p.pct}% ${p.message}`),
 * });
 * const split = await quire.split.run({ extractionId: extraction.extraction_id }, {
 *   splitConfig: { split_input: [{ name: "invoice", description: "Invoices" }, { name: "contract", description: "Contracts" }] },
 * });
 * const invoice = await quire.schema.run({ extractionId: extraction.extraction_id }, {
 *   schemaConfig: { input_schema: { type: "object", properties: { total: { type: "number" } } } },
 * });
 * console.log(invoice.schema_output.total, invoice.citations["/total"]);
 * ```
 */

// The client and what it throws.
export { Quire } from "./client.js";
export { QuireApiError, QuireConnectionError, QuireJobFailedError, QuireTimeoutError, isQuireApiError } from "./errors.js";
export { DEFAULT_POLL_INTERVAL_MS, isTerminalStatus } from "./wait.js";
export { DEFAULT_BASE_URL, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS, SDK_VERSION } from "./http.js";

// ── Webhooks ────────────────────────────────────────────────────────────────────────────────
// Receivers verify Quire's Standard Webhooks signatures with `verifyWebhook` (STYLE.md 3.12).
export { verifyWebhook, WebhookVerificationError } from "./webhooks.js";
export type { WebhookEvent, WebhookEventType, WebhookHeaders } from "./webhooks.js";
// Endpoints that receive every job's events, and the delivery log: `quire.webhooks`.
export type { WebhookDeliveryList, WebhookEndpointList } from "./webhook-endpoints.js";

// Types: request options and the API's shapes.
export type { QuireOptions } from "./http.js";
export type { ExtractAndWaitOptions } from "./extract.js";
export type { SplitAndWaitOptions } from "./split.js";
export type { SchemaAndWaitOptions } from "./schema.js";
export type { RequestOptions } from "./jobs.js";
export type { UploadOptions } from "./files.js";
export type { WaitOptions } from "./wait.js";
export type {
  BBox,
  Block,
  BlockType,
  CanceledJob,
  Chunk,
  ChunkingOptions,
  CreatedWebhookEndpoint,
  CreateWebhookParams,
  DeletedWebhookEndpoint,
  Extraction,
  ExtractionPage,
  ExtractInput,
  ExtractJob,
  ExtractOptions,
  Job,
  JobError,
  JobKind,
  JobPage,
  JobProgress,
  JobStatus,
  JobTimings,
  JobSummary,
  ListJobsParams,
  ListWebhookDeliveriesParams,
  ParseOptions,
  ProcessingOptions,
  RetriedWebhookDelivery,
  RotatedWebhookSecret,
  TenantSigningSecret,
  SchemaCitation,
  SchemaConfig,
  SchemaEngine,
  SchemaInput,
  SchemaJob,
  SchemaOptions,
  SchemaResult,
  SplitConfig,
  SplitEngine,
  SplitInput,
  SplitJob,
  SplitOptions,
  SplitPartition,
  SplitResult,
  SplitSectionInput,
  SplitSectionResult,
  Table,
  TableCell,
  UploadedFile,
  WebhookDelivery,
  WebhookDeliveryAttempt,
  WebhookEndpoint,
} from "./types.js";

// For code that names the resource types (e.g. to wrap them); application code reaches them
// through `quire.files`, `quire.jobs`, `quire.extract`, `quire.split`, `quire.schema`, `quire.extractions`
// and
// `quire.webhooks`.
export type { ExtractResource } from "./extract.js";
export type { ExtractionsResource } from "./extractions.js";
export type { FilesResource } from "./files.js";
export type { JobsResource } from "./jobs.js";
export type { SchemaResource } from "./schema.js";
export type { SplitResource } from "./split.js";
export type { WebhooksResource } from "./webhook-endpoints.js";
