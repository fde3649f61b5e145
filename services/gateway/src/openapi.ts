import { z } from "zod";
import { ErrorBody, ExtractRequest, FileUploaded, JobAccepted, JobList, JobView } from "./schemas.js";

/** The schemas that validate requests are the ones the document describes, so they cannot drift. */
const schema = (s: z.ZodType, io: "input" | "output" = "output") => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(s, { io, unrepresentable: "any" }) as Record<string, unknown>;
  return rest;
};

const json = (ref: string) => ({ "application/json": { schema: { $ref: `#/components/schemas/${ref}` } } });

const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [String(s), { description: ERROR_TEXT[s] ?? "error", content: json("Error") }]));

const ERROR_TEXT: Record<number, string> = {
  400: "invalid request (INVALID_ARGUMENT, TARGET_NOT_ALLOWED)",
  401: "missing or invalid API key (UNAUTHENTICATED)",
  404: "no such job or file for this tenant (NOT_FOUND)",
  409: "the job has already ended (CONFLICT)",
  413: "file over the size limit (FILE_TOO_LARGE)",
  415: "unsupported file type (UNSUPPORTED_FILE_TYPE)",
  422: "the document could not be processed (INVALID_PDF, PDF_PASSWORD_REQUIRED, FETCH_FAILED, …)",
  429: "the work queue is full (RATE_LIMITED)",
  503: "a dependency is unavailable (UNAVAILABLE)",
};

const jobIdParam = { name: "id", in: "path", required: true, schema: { type: "string", pattern: "^job_[0-9a-f]{32}$" } };

export function buildOpenApi(): Record<string, unknown> {
  const extractBody = schema(ExtractRequest, "input");
  const multipart = {
    ...extractBody,
    properties: {
      ...(extractBody.properties as object),
      file: { type: "string", format: "binary", description: "The document (PDF)." },
      metadata: { type: "string", description: "JSON-encoded object" },
      languages: { type: "string", description: 'JSON array or comma-separated, e.g. "eng,deu"' },
      async: { type: "string", enum: ["true", "false"] },
    },
  };
  return {
    openapi: "3.1.0",
    info: { title: "Quire API", version: "1.0.0", description: "Self-hosted document processing: extract, split, schema. Every call can run as a job." },
    servers: [{ url: "/" }],
    security: [{ apiKey: [] }, { bearer: [] }],
    components: {
      securitySchemes: {
        apiKey: { type: "apiKey", in: "header", name: "x-api-key" },
        bearer: { type: "http", scheme: "bearer" },
      },
      schemas: {
        Error: schema(ErrorBody), Job: schema(JobView), JobAccepted: schema(JobAccepted),
        JobList: schema(JobList), FileUploaded: schema(FileUploaded), ExtractRequest: extractBody,
      },
    },
    paths: {
      "/v1/files": {
        post: {
          summary: "Upload a file once; use its file_id in later calls",
          requestBody: { required: true, content: { "multipart/form-data": { schema: { type: "object", required: ["file"], properties: { file: { type: "string", format: "binary" } } } } } },
          responses: { "201": { description: "stored", content: json("FileUploaded") }, ...errors(400, 401, 413, 415) },
        },
      },
      "/v1/extract": {
        post: {
          summary: "Extract markdown and blocks with bounding boxes from a document",
          parameters: [{ name: "Idempotency-Key", in: "header", required: false, schema: { type: "string" } }],
          requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/ExtractRequest" } }, "multipart/form-data": { schema: multipart } } },
          responses: {
            "200": { description: "completed within the sync limit", content: { "application/json": { schema: { type: "object", properties: { job_id: { type: "string" }, status: { const: "completed" }, result: (schema(JobView).properties as Record<string, unknown>).result } } } } },
            "202": { description: "accepted as a job (async, or the sync limit passed): poll GET /v1/jobs/{id}", content: json("JobAccepted") },
            ...errors(400, 401, 404, 413, 415, 422, 429, 503),
          },
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
      "/v1/jobs/{id}": {
        get: { summary: "A job's status, progress, and result or error", parameters: [jobIdParam], responses: { "200": { description: "the job", content: json("Job") }, ...errors(401, 404, 503) } },
        delete: { summary: "Cancel a job; workers stop between pages", parameters: [jobIdParam], responses: { "200": { description: "canceled", content: json("JobAccepted") }, ...errors(401, 404, 409) } },
      },
      "/healthz": { get: { summary: "Liveness", security: [], responses: { "200": { description: "alive" } } } },
      "/readyz": { get: { summary: "Readiness: broker and job store reachable", security: [], responses: { "200": { description: "ready" }, "503": { description: "not ready" } } } },
    },
  };
}
