import type {
  ExtractJob,
  Extraction,
  JobStatus,
  SchemaJob,
  SchemaResult,
  SplitJob,
  SplitResult,
  WebhookDelivery,
  WebhookEndpoint,
} from "../types.js";

export const JOB_ID = `job_${"a".repeat(32)}`;
export const FILE_ID = `file_${"b".repeat(64)}`;
/** As the server makes them: `ext_` + the extract job id's hex. */
export const EXTRACTION_ID = `ext_${"f".repeat(32)}`;

export function extraction(overrides: Partial<Extraction> = {}): Extraction {
  return {
    extraction_id: "ext_1",
    markdown: "# Invoice\n\nTotal: 42\n",
    page_count: 1,
    pages: [
      {
        page_number: 1,
        width: 612,
        height: 792,
        ocr: false,
        blocks: [{ id: "b1", type: "title", text: "Invoice", bbox: [0.1, 0.1, 0.5, 0.15], level: 1 }],
      },
    ],
    tables: [],
    chunks: [{ text: "Invoice Total: 42", pages: [1], block_ids: ["b1"] }],
    usage: { pages: 1, cached_parse: false },
    ...overrides,
  };
}

/** An extract job as `GET /v1/jobs/{id}` shows it. */
export function job(status: JobStatus, pct = 0, message = "", overrides: Partial<ExtractJob> = {}): ExtractJob {
  return {
    ...jobFields(status, pct, message),
    kind: "extract",
    ...(status === "completed" ? { result: extraction() } : {}),
    ...overrides,
  };
}

/** A split job as `GET /v1/jobs/{id}` shows it. */
export function splitJob(status: JobStatus, pct = 0, message = "", overrides: Partial<SplitJob> = {}): SplitJob {
  return {
    ...jobFields(status, pct, message),
    kind: "split",
    ...(status === "completed" ? { result: splitResult() } : {}),
    ...overrides,
  };
}

/** A schema job as `GET /v1/jobs/{id}` shows it. */
export function schemaJob(status: JobStatus, pct = 0, message = "", overrides: Partial<SchemaJob> = {}): SchemaJob {
  return {
    ...jobFields(status, pct, message),
    kind: "schema",
    ...(status === "completed" ? { result: schemaResult() } : {}),
    ...overrides,
  };
}

/** An invoice's number and total filled, its due date not in the document. */
export function schemaResult(overrides: Partial<SchemaResult> = {}): SchemaResult {
  return {
    schema_id: "sch_1",
    extraction_id: EXTRACTION_ID,
    schema_output: { invoice_number: "INV-1042", total: 4.11, due_date: null },
    citations: {
      "/invoice_number": [{ page: 1, bbox: [0.1, 0.1, 0.4, 0.12], text: "Invoice INV-1042", block_id: "p1-b2" }],
      "/total": [{ page: 1, bbox: [0.6, 0.8, 0.9, 0.82], text: "Total 4.11", block_id: "p1-b9" }],
    },
    confidence: { "/invoice_number": 0.95, "/total": 0.9 },
    validation: { valid: true, errors: [] },
    usage: { pages: 1, engine: "deterministic", cached_parse: false, fields_filled: 2 },
    ...overrides,
  };
}

function jobFields(status: JobStatus, pct: number, message: string): Omit<ExtractJob, "kind" | "result"> {
  const ended = status === "completed" || status === "failed" || status === "canceled";
  return {
    job_id: JOB_ID,
    status,
    created_at: "2025-01-01T00:00:00.000Z",
    updated_at: "2025-01-01T00:00:01.000Z",
    completed_at: ended ? "2025-01-01T00:00:02.000Z" : null,
    progress: { pct, message, stage: status === "processing" ? "parse" : "" },
    metadata: {},
  };
}

/** A bundle of two invoices and a contract, with one page no section claimed. */
export function splitResult(overrides: Partial<SplitResult> = {}): SplitResult {
  return {
    split_id: "spl_1",
    extraction_id: EXTRACTION_ID,
    page_count: 8,
    splits: [
      {
        name: "invoice",
        pages: [1, 2, 3, 7],
        page_ranges: "1-3,7",
        confidence: 0.92,
        reason: "title page 'Invoice'; 'Page 1 of 3' reset",
        partitions: [
          { key: "INV-1042", pages: [1, 2, 3], page_ranges: "1-3" },
          { key: "INV-1043", pages: [7], page_ranges: "7" },
        ],
      },
      { name: "contract", pages: [4, 5, 6], page_ranges: "4-6", confidence: 0.81, reason: "heading 'Service Agreement'" },
    ],
    unassigned_pages: [8],
    usage: { pages: 8, engine: "deterministic", cached_parse: false },
    ...overrides,
  };
}

export const ENDPOINT_ID = `ep_${"1".repeat(32)}`;
export const DELIVERY_ID = `dlv_${"2".repeat(32)}`;
export const WEBHOOK_SECRET = `whsec_${Buffer.alloc(32, 7).toString("base64")}`;

/** A registered endpoint as `GET /v1/webhooks/{id}` shows it. */
export function webhookEndpoint(overrides: Partial<WebhookEndpoint> = {}): WebhookEndpoint {
  return {
    endpoint_id: ENDPOINT_ID,
    url: "https://hooks.example.com/quire",
    events: ["job.completed", "job.failed", "job.canceled"],
    description: "",
    created_at: "2025-01-01T00:00:00.000Z",
    disabled: false,
    disabled_reason: null,
    disabled_at: null,
    failing_since: null,
    previous_secret_expires_at: null,
    ...overrides,
  };
}

/** A delivery log entry: one failed attempt, a retry scheduled. */
export function webhookDelivery(overrides: Partial<WebhookDelivery> = {}): WebhookDelivery {
  return {
    delivery_id: DELIVERY_ID,
    job_id: JOB_ID,
    endpoint_id: ENDPOINT_ID,
    url: "https://hooks.example.com/quire",
    event_type: "job.completed",
    message_id: "msg_1",
    status: "pending",
    created_at: "2025-01-01T00:00:02.000Z",
    next_attempt_at: "2025-01-01T00:00:07.000Z",
    attempts: [{ attempt: 1, time: "2025-01-01T00:00:02.000Z", status_code: 500, latency_ms: 12, error: "HTTP 500", manual: false }],
    ...overrides,
  };
}
