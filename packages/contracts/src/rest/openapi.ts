import { z } from "zod";
import * as rest from "./schemas.js";

/** The named schemas: each is a component, and the SDK's wire types are generated from them (`pnpm generate:rest`). */
const REQUESTS = {
  ExtractRequest: rest.ExtractRequest,
  SplitRequest: rest.SplitRequest,
  SchemaRequest: rest.SchemaRequest,
  Chunking: rest.Chunking,
  SplitConfig: rest.SplitConfig,
  SplitSectionInput: rest.SplitSectionInput,
  SchemaConfig: rest.SchemaConfig,
  WebhookCreate: rest.WebhookCreate,
};
const RESPONSES = {
  Error: rest.ApiError,
  Job: rest.JobView,
  JobSummary: rest.JobSummary,
  JobAccepted: rest.JobAccepted,
  JobList: rest.JobList,
  JobStatus: rest.JobStatusName,
  JobKind: rest.JobKindName,
  JobProgress: rest.JobProgress,
  JobError: rest.JobError,
  FileUploaded: rest.FileUploaded,
  Extraction: rest.Extraction,
  ExtractionPage: rest.ExtractionPage,
  Block: rest.Block,
  BlockType: rest.BlockType,
  BBox: rest.BBox,
  Table: rest.Table,
  TableCell: rest.TableCell,
  Chunk: rest.Chunk,
  JobTimings: rest.JobTimings,
  SplitResult: rest.SplitResult,
  SplitSectionResult: rest.SplitSectionResult,
  SplitPartition: rest.SplitPartition,
  SchemaResult: rest.SchemaResult,
  SchemaCitation: rest.SchemaCitation,
  Webhook: rest.WebhookView,
  WebhookCreated: rest.WebhookCreated,
  WebhookList: rest.WebhookList,
  WebhookRotated: rest.WebhookRotated,
  WebhookDeleted: rest.WebhookDeleted,
  SigningSecret: rest.SigningSecret,
  WebhookDelivery: rest.WebhookDeliveryView,
  WebhookDeliveryAttempt: rest.WebhookDeliveryAttempt,
  WebhookDeliveryList: rest.WebhookDeliveryList,
  DeliveryRetried: rest.DeliveryRetried,
  WebhookEvent: rest.WebhookEventBody,
};
/** Named on both sides: requests and responses share them. */
const SHARED = { Engine: rest.Engine, WebhookEventType: rest.WebhookEventName };

/**
 * The schemas that validate requests are the ones the document describes, so they cannot drift.
 * Requests are described as they are sent (`input`: defaults optional), responses as they are
 * sent back (`output`); a named schema used inside another is a `$ref` to its component.
 */
function components(io: "input" | "output", named: Record<string, z.ZodType>): Record<string, Record<string, unknown>> {
  const registry = z.registry<{ id: string }>();
  for (const [id, s] of Object.entries({ ...named, ...SHARED })) registry.add(s, { id });
  const { schemas } = z.toJSONSchema(registry, { io, unrepresentable: "any", uri: (id) => `#/components/schemas/${id}` });
  if ("__shared" in schemas) throw new Error("openapi: a schema was extracted without a name");
  return Object.fromEntries(
    Object.entries(schemas).map(([id, s]) => {
      const { $schema: _schema, $id: _id, ...body } = s as Record<string, unknown>;
      return [id, body];
    }),
  );
}

const json = (ref: string) => ({ "application/json": { schema: { $ref: `#/components/schemas/${ref}` } } });

const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [String(s), { description: ERROR_TEXT[s] ?? "error", content: json("Error") }]));

const ERROR_TEXT: Record<number, string> = {
  400: "invalid request (INVALID_ARGUMENT, INVALID_SCHEMA with details.pointer, TARGET_NOT_ALLOWED)",
  401: "missing or invalid API key (UNAUTHENTICATED)",
  404: "no such job, file, extraction, webhook endpoint or delivery for this tenant (NOT_FOUND)",
  409: "the job has already ended, or the webhook endpoint is disabled / busy (CONFLICT)",
  413: "file over the size limit (FILE_TOO_LARGE)",
  415: "unsupported file type (UNSUPPORTED_FILE_TYPE)",
  422: "the document could not be processed (INVALID_PDF, PDF_PASSWORD_REQUIRED, FETCH_FAILED, …)",
  502: "the configured LLM endpoint failed or answered nonsense (LLM_UNAVAILABLE, LLM_INVALID_RESPONSE); engine deterministic needs none",
  429: "the work queue is full (RATE_LIMITED); nothing was created: retry after the Retry-After seconds",
  503: "the broker or job store is unavailable (UNAVAILABLE); nothing was created: retry after the Retry-After seconds",
};

const idParam = (pattern: string) => ({ name: "id", in: "path", required: true, schema: { type: "string", pattern } });
const endpointIdParam = idParam("^ep_[0-9a-f]{32}$");

const jobIdParam = { name: "id", in: "path", required: true, schema: { type: "string", pattern: "^job_[0-9a-f]{32}$" } };

/** A processing body as multipart: the file part, and structured options as JSON-encoded text fields. */
function multipartOf(body: Record<string, unknown>, jsonFields: Record<string, string>): Record<string, unknown> {
  return {
    ...body,
    properties: {
      ...(body.properties as object),
      file: { type: "string", format: "binary", description: "The document (PDF, PNG, JPEG, TIFF or WebP)." },
      metadata: { type: "string", description: "JSON-encoded object" },
      languages: { type: "string", description: 'JSON array or comma-separated, e.g. "eng,deu"' },
      async: { type: "string", enum: ["true", "false"] },
      webhook_events: { type: "string", description: 'comma-separated or JSON array, e.g. "job.completed,job.progress"' },
      ...Object.fromEntries(Object.entries(jsonFields).map(([name, description]) => [name, { type: "string", description }])),
    },
  };
}

/** A processing operation: JSON or multipart in; the result (sync) or a job (async, or past the sync limit) out. */
function processingPath(summary: string, bodyRef: string, multipart: Record<string, unknown>, resultRef: string): Record<string, unknown> {
  return {
    post: {
      summary,
      parameters: [
        {
          name: "Idempotency-Key",
          in: "header",
          required: false,
          schema: { type: "string", maxLength: 255 },
          description: "same key + same body: the same job, never a second one",
        },
      ],
      requestBody: {
        required: true,
        content: {
          "application/json": { schema: { $ref: `#/components/schemas/${bodyRef}` } },
          "multipart/form-data": { schema: multipart },
        },
      },
      responses: {
        "200": {
          description: "completed within the sync limit (or canceled meanwhile: status canceled, no result)",
          content: {
            "application/json": {
              schema: {
                type: "object",
                properties: {
                  job_id: { type: "string" },
                  status: { enum: ["completed", "canceled"] },
                  result: { $ref: `#/components/schemas/${resultRef}` },
                },
              },
            },
          },
        },
        "202": { description: "accepted as a job (async, or the sync limit passed): poll GET /v1/jobs/{id}", content: json("JobAccepted") },
        ...errors(400, 401, 404, 413, 415, 422, 429, 502, 503),
      },
    },
  };
}

/** The operationId of every route (client generators name their methods after it). */
const OPERATION_IDS: Record<string, string> = {
  "POST /v1/files": "uploadFile",
  "POST /v1/extract": "extract",
  "POST /v1/split": "split",
  "POST /v1/schema": "fillSchema",
  "GET /v1/extractions/{id}": "getExtraction",
  "GET /v1/jobs": "listJobs",
  "GET /v1/jobs/{id}": "getJob",
  "DELETE /v1/jobs/{id}": "cancelJob",
  "GET /v1/jobs/{id}/events": "streamJobEvents",
  "POST /v1/webhooks": "createWebhookEndpoint",
  "GET /v1/webhooks": "listWebhookEndpoints",
  "GET /v1/webhooks/signing-secret": "getSigningSecret",
  "GET /v1/webhooks/{id}": "getWebhookEndpoint",
  "DELETE /v1/webhooks/{id}": "deleteWebhookEndpoint",
  "POST /v1/webhooks/{id}/rotate": "rotateWebhookSecret",
  "GET /v1/webhooks/deliveries": "listWebhookDeliveries",
  "POST /v1/webhooks/deliveries/{id}/retry": "retryWebhookDelivery",
  "GET /healthz": "healthz",
  "GET /readyz": "readyz",
};

/** Names every operation; a documented operation without a name is a bug caught here, at start. */
function withOperationIds(paths: Record<string, Record<string, Record<string, unknown>>>) {
  for (const [path, ops] of Object.entries(paths))
    for (const [method, op] of Object.entries(ops)) {
      const id = OPERATION_IDS[`${method.toUpperCase()} ${path}`];
      if (!id) throw new Error(`openapi: no operationId for ${method.toUpperCase()} ${path}`);
      op.operationId = id;
    }
  return paths;
}

/** The OpenAPI 3.1 document of the REST API; committed as `openapi.json` (`pnpm generate:rest`), served at `/openapi.json`. */
export function buildOpenApi(): Record<string, unknown> {
  const schemas = { ...components("output", RESPONSES), ...components("input", REQUESTS) };
  const extractBody = schemas.ExtractRequest!,
    splitBody = schemas.SplitRequest!,
    schemaBody = schemas.SchemaRequest!;
  return {
    openapi: "3.1.0",
    info: {
      title: "Quire API",
      version: "1.0.0",
      description: "Self-hosted document processing: extract, split, schema. Every call can run as a job.",
    },
    servers: [{ url: "/" }],
    security: [{ apiKey: [] }, { bearer: [] }],
    components: {
      securitySchemes: {
        apiKey: { type: "apiKey", in: "header", name: "x-api-key" },
        bearer: { type: "http", scheme: "bearer" },
      },
      schemas,
    },
    paths: withOperationIds({
      "/v1/files": {
        post: {
          summary: "Upload a file once; use its file_id in later calls",
          requestBody: {
            required: true,
            content: {
              "multipart/form-data": {
                schema: { type: "object", required: ["file"], properties: { file: { type: "string", format: "binary" } } },
              },
            },
          },
          responses: { "201": { description: "stored", content: json("FileUploaded") }, ...errors(400, 401, 413, 415, 503) },
        },
      },
      "/v1/extract": processingPath(
        "Extract markdown and blocks with bounding boxes from a document",
        "ExtractRequest",
        multipartOf(extractBody, { chunking: "JSON-encoded object" }),
        "Extraction",
      ),
      "/v1/split": processingPath(
        "Split a document bundle into named sections (page ranges, partitions)",
        "SplitRequest",
        multipartOf(splitBody, { split_config: "JSON-encoded object" }),
        "SplitResult",
      ),
      "/v1/schema": processingPath(
        "Fill a JSON Schema from a document, every value cited, nothing invented",
        "SchemaRequest",
        multipartOf(schemaBody, { schema_config: "JSON-encoded object" }),
        "SchemaResult",
      ),
      "/v1/extractions/{id}": {
        get: {
          summary: "An extraction stored by an extract (or by the extract step of a split/schema job), by its extraction_id",
          parameters: [idParam("^ext_[0-9a-f]{32}$")],
          responses: { "200": { description: "the extraction", content: json("Extraction") }, ...errors(401, 404, 503) },
        },
      },
      "/v1/jobs": {
        get: {
          summary: "List this tenant's jobs, newest first",
          parameters: [
            { name: "status", in: "query", schema: { type: "string", enum: ["pending", "processing", "completed", "failed", "canceled"] } },
            { name: "kind", in: "query", schema: { type: "string", enum: ["extract", "split", "schema"] } },
            { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 100, default: 20 } },
            { name: "cursor", in: "query", schema: { type: "string" } },
          ],
          responses: { "200": { description: "a page of jobs", content: json("JobList") }, ...errors(400, 401, 503) },
        },
      },
      "/v1/jobs/{id}/events": {
        get: {
          summary: "Server-Sent Events: the job as it stands (event `job`), then each event (`started`, `progress`, …) until it ends",
          parameters: [jobIdParam],
          responses: {
            "200": {
              description: "an event stream that closes after the terminal event",
              content: { "text/event-stream": { schema: { type: "string" } } },
            },
            ...errors(401, 404),
          },
        },
      },
      "/v1/jobs/{id}": {
        get: {
          summary: "A job's status, progress, and result or error",
          parameters: [jobIdParam],
          responses: { "200": { description: "the job", content: json("Job") }, ...errors(401, 404, 503) },
        },
        delete: {
          summary: "Cancel a job; workers stop between pages",
          parameters: [jobIdParam],
          responses: { "200": { description: "canceled", content: json("JobAccepted") }, ...errors(401, 404, 409) },
        },
      },
      ...webhookPaths(),
      "/healthz": { get: { summary: "Liveness", security: [], responses: { "200": { description: "alive" } } } },
      "/readyz": {
        get: {
          summary: "Readiness: broker and job store reachable",
          security: [],
          responses: { "200": { description: "ready" }, "503": { description: "not ready" } },
        },
      },
    } as Record<string, Record<string, Record<string, unknown>>>),
    webhooks: Object.fromEntries(
      ["job.completed", "job.failed", "job.canceled", "job.progress"].map((type) => [type, webhookOperation(type)]),
    ),
  };
}

function webhookPaths(): Record<string, unknown> {
  return {
    "/v1/webhooks": {
      post: {
        summary: "Register a webhook endpoint; its whsec_ secret is in this response only",
        requestBody: { required: true, content: json("WebhookCreate") },
        responses: { "201": { description: "registered", content: json("WebhookCreated") }, ...errors(400, 401, 409) },
      },
      get: {
        summary: "This tenant's webhook endpoints (disabled ones say why)",
        responses: { "200": { description: "endpoints", content: json("WebhookList") }, ...errors(401) },
      },
    },
    "/v1/webhooks/signing-secret": {
      get: {
        summary: "The tenant's signing secret: it signs job webhooks whose request named no webhook_secret (made on first use)",
        responses: {
          "200": { description: "the secret", content: json("SigningSecret") },
          ...errors(401),
        },
      },
    },
    "/v1/webhooks/{id}": {
      get: {
        summary: "One webhook endpoint",
        parameters: [endpointIdParam],
        responses: { "200": { description: "the endpoint", content: json("Webhook") }, ...errors(401, 404) },
      },
      delete: {
        summary: "Delete a webhook endpoint; its pending deliveries stop",
        parameters: [endpointIdParam],
        responses: { "200": { description: "deleted", content: json("WebhookDeleted") }, ...errors(401, 404) },
      },
    },
    "/v1/webhooks/{id}/rotate": {
      post: {
        summary: "Rotate the secret; the old one keeps signing (a second v1 signature) for the overlap period",
        parameters: [endpointIdParam],
        responses: { "200": { description: "the new secret, shown once", content: json("WebhookRotated") }, ...errors(401, 404, 409) },
      },
    },
    "/v1/webhooks/deliveries": {
      get: {
        summary: "The delivery log, newest first: every attempt with its time, status code, latency and error",
        parameters: [
          { name: "job_id", in: "query", schema: { type: "string", pattern: "^job_[0-9a-f]{32}$" } },
          {
            name: "endpoint_id",
            in: "query",
            schema: { type: "string" },
            description: 'an endpoint id, or "request" for jobs\' own webhook_url',
          },
          { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 100, default: 50 } },
        ],
        responses: { "200": { description: "deliveries", content: json("WebhookDeliveryList") }, ...errors(400, 401) },
      },
    },
    "/v1/webhooks/deliveries/{id}/retry": {
      post: {
        summary: "Replay a delivery now (same webhook-id, next attempt number)",
        parameters: [idParam("^dlv_[0-9a-f]{32}$")],
        responses: { "202": { description: "scheduled", content: json("DeliveryRetried") }, ...errors(401, 404, 409) },
      },
    },
  };
}

/** What Quire POSTs to a webhook target, signed per Standard Webhooks. */
function webhookOperation(type: string): Record<string, unknown> {
  const header = (name: string, description: string) => ({ name, in: "header", required: true, schema: { type: "string" }, description });
  return {
    post: {
      operationId: `on${type
        .split(".")
        .map((w) => w[0]!.toUpperCase() + w.slice(1))
        .join("")}`,
      summary: `${type} (Standard Webhooks; verify with @quire/sdk verifyWebhook)`,
      parameters: [
        header("webhook-id", "event id: the same on every retry and replay; dedupe on it"),
        header("webhook-timestamp", "unix seconds of this attempt"),
        header("webhook-signature", "space-separated v1,<base64 HMAC-SHA256 of id.timestamp.body>; two during a secret rotation"),
      ],
      requestBody: { required: true, content: json("WebhookEvent") },
      responses: { "2XX": { description: "delivered" }, "410": { description: "stop: the endpoint is disabled" } },
    },
  };
}
