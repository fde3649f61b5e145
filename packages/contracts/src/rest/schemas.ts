/**
 * The REST API's request and response schemas: the gateway validates with them, the OpenAPI
 * document (`openapi.ts`, committed as `openapi.json`) is built from them, and the SDK's wire
 * types (`packages/sdk/src/gen/api.ts`) are generated from that document. The descriptions are
 * the API reference and the SDK's doc comments, so write them for API users.
 */
import { z } from "zod";

/** Webhook event types a target can ask for. */
export const WebhookEventName = z
  .enum(["job.completed", "job.failed", "job.canceled", "job.progress"])
  .describe("The webhook event types Quire sends; job.progress only to targets that asked for it.");
export const DEFAULT_WEBHOOK_EVENTS = ["job.completed", "job.failed", "job.canceled"] as const;

const webhookUrl = z.url({ protocol: /^https?$/, message: "must be an http(s) URL" }).max(2048);

/** A list of event types; in multipart it arrives as text: a JSON array or comma-separated names. */
const webhookEvents = z
  .union([
    z.array(z.string()),
    z.string().transform((v, ctx): unknown => {
      if (!v.trim().startsWith("["))
        return v
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean);
      try {
        return JSON.parse(v) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: "must be a JSON array or comma-separated event types" });
        return z.NEVER;
      }
    }),
  ])
  .pipe(z.array(WebhookEventName).min(1).max(4));

/** `whsec_` + base64 of 24–64 random bytes (Standard Webhooks); the HMAC key is the decoded bytes. */
const webhookSecret = z
  .string()
  .regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/, "webhook_secret must be whsec_ followed by base64")
  .refine((s) => {
    const n = Buffer.from(s.slice(6), "base64").byteLength;
    return n >= 24 && n <= 64;
  }, "webhook_secret must encode 24 to 64 random bytes, e.g. whsec_ + base64 of 32 random bytes");

export const Chunking = z
  .object({
    strategy: z
      .enum(["section", "page", "size"])
      .describe("section: a chunk per heading; page: a chunk per page; size: blocks packed up to max_chars."),
    max_chars: z
      .number()
      .int()
      .min(200)
      .max(100_000)
      .optional()
      .describe("Longest chunk, in characters (default 4000); longer sections and pages are cut between blocks, then sentences."),
  })
  .strict()
  .describe("The chunking option of extract: how the markdown is cut into chunks.");
export type Chunking = z.output<typeof Chunking>;

/** Where the document comes from, and the options every processing call shares (JSON body, or multipart fields). */
const commonShape = {
  file_url: z
    .url({ protocol: /^https?$/, message: "file_url must be an http(s) URL" })
    .optional()
    .describe("Fetch the document from this URL (SSRF-guarded, size and time limited; with async, by the job)."),
  file_id: z
    .string()
    .regex(/^file_[0-9a-f]{64}$/, "file_id must look like file_<64 hex chars>, as POST /v1/files returns")
    .optional()
    .describe("A file uploaded earlier with POST /v1/files."),
  metadata: z.record(z.string(), z.unknown()).optional().describe("Any JSON object; echoed in the job and its webhooks (max 16 KiB)."),
  async: z.boolean().default(false).describe("true: answer 202 with a job id at once."),
  webhook_url: webhookUrl
    .optional()
    .describe("POST a signed Standard Webhooks message here when the job ends (private addresses are refused)."),
  webhook_secret: webhookSecret
    .optional()
    .describe(
      "whsec_<base64> key to sign this job's webhooks with; without it, the tenant's signing secret (GET /v1/webhooks/signing-secret) signs them. Kept sealed, never returned.",
    ),
  webhook_events: webhookEvents
    .optional()
    .describe('Event types for webhook_url; default the terminal ones. Add "job.progress" for progress.'),
};

/** How the document is read: the parse stage's options, on every call that takes a file. */
const parseShape = {
  pages: z
    .string()
    .regex(/^\s*\d+(\s*-\s*\d+)?(\s*,\s*\d+(\s*-\s*\d+)?)*\s*$/, 'pages must look like "1-3,7"')
    .refine(
      (s) =>
        s.split(",").every((part) => {
          const [a, b = a] = part.split("-").map((n) => Number(n.trim()));
          return a !== undefined && b !== undefined && a >= 1 && b >= a;
        }),
      'each range starts at page 1 or later and runs forwards, e.g. "2-5", not "5-2" or "0"',
    )
    .optional()
    .describe('Page selection, 1-based, e.g. "1-3,7". All pages when omitted.'),
  password: z.string().max(1024).optional().describe("Password of an encrypted PDF."),
  ocr: z.enum(["auto", "always", "never"]).default("auto"),
  languages: z
    .array(z.string().regex(/^[a-z_]{3,16}$/))
    .max(8)
    .default(["eng"]),
};

const extractionId = z
  .string()
  .regex(/^ext_[0-9a-f]{32}$/, "extraction_id must look like ext_<32 hex chars>, as an extract result's extraction_id")
  .describe("An earlier extraction (the extraction_id of an extract result): no parse, no extract, just this operation.");

export const Engine = z
  .enum(["deterministic", "llm"])
  .describe("deterministic: offline; llm: the OpenAI-compatible model the operator configured.");

/** The checks every processing request gets, whatever its own fields. */
function commonChecks<
  T extends {
    metadata?: Record<string, unknown> | undefined;
    webhook_url?: string | undefined;
    webhook_secret?: string | undefined;
    webhook_events?: string[] | undefined;
  },
>(schema: z.ZodType<T>) {
  return schema
    .refine((r) => r.metadata === undefined || JSON.stringify(r.metadata).length <= 16_384, {
      message: "metadata must be at most 16 KiB of JSON",
      path: ["metadata"],
    })
    .refine((r) => r.webhook_url !== undefined || (r.webhook_secret === undefined && r.webhook_events === undefined), {
      message: "webhook_secret and webhook_events need a webhook_url",
      path: ["webhook_url"],
    });
}

export const ExtractRequest = commonChecks(
  z
    .object({
      ...commonShape,
      ...parseShape,
      tables: z
        .enum(["markdown", "html"])
        .default("markdown")
        .describe('Tables in the markdown: "markdown" pipe tables (a spanning cell repeats its text), or "html" (keeps rowspan/colspan).'),
      chunking: Chunking.optional().describe("How `chunks` are cut; one chunk per page when omitted. In multipart, a JSON-encoded field."),
      persist: z
        .boolean()
        .default(false)
        .describe("Keep the extraction (GET /v1/extractions/{id}, or as extraction_id) past the retention period, until deleted."),
    })
    .strict(),
);
export type ExtractRequest = z.output<typeof ExtractRequest>;

export const SplitSectionInput = z
  .object({
    name: z.string().trim().min(1, "name must not be empty").max(200),
    description: z.string().max(2_000).default("").describe("What the section's pages are or say; the more specific, the better."),
    partition_key: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .describe('e.g. "invoice number": each distinct document of this section becomes its own partition, keyed by that value.'),
  })
  .strict()
  .describe("One named section of a split request: pages are assigned to it by what they say.");
export type SplitSectionInput = z.output<typeof SplitSectionInput>;

export const SplitConfig = z
  .object({
    split_input: z
      .array(SplitSectionInput)
      .min(1, "split_input needs at least one section")
      .max(50, "split_input takes at most 50 sections")
      .refine((s) => new Set(s.map((x) => x.name.toLowerCase())).size === s.length, "section names must be unique"),
    split_rules: z.string().max(4_000).optional().describe("Free-text guidance for the llm engine; the deterministic engine ignores it."),
  })
  .strict()
  .describe("split_config of POST /v1/split: 1 to 50 sections with unique names.");
export type SplitConfig = z.output<typeof SplitConfig>;

export const SplitRequest = commonChecks(
  z
    .object({
      ...commonShape,
      ...parseShape,
      extraction_id: extractionId.optional(),
      split_config: SplitConfig.describe("The sections to split into. In multipart, a JSON-encoded field."),
      engine: Engine.optional().describe(
        "deterministic (default, offline) or llm (an OpenAI-compatible endpoint the operator configured).",
      ),
    })
    .strict(),
);
export type SplitRequest = z.output<typeof SplitRequest>;

export const SchemaConfig = z
  .object({
    input_schema: z
      .record(z.string(), z.unknown())
      .describe(
        "A JSON Schema (2020-12, or draft-07 via $schema): nested objects, arrays of objects, string/number/integer/boolean, format date|date-time|email|uri, enum, required, description. At most 64 KiB, 8 levels, 500 properties.",
      ),
    schema_prompt: z
      .string()
      .max(4_000)
      .optional()
      .describe("Guidance: for the llm engine; the deterministic one reads date order hints such as MM/DD."),
  })
  .strict()
  .describe("schema_config of POST /v1/schema.");
export type SchemaConfig = z.output<typeof SchemaConfig>;

export const SchemaRequest = commonChecks(
  z
    .object({
      ...commonShape,
      ...parseShape,
      extraction_id: extractionId.optional(),
      schema_config: SchemaConfig.describe("The schema to fill. In multipart, a JSON-encoded field."),
      engine: Engine.optional().describe(
        "deterministic (default, offline) or llm (an OpenAI-compatible endpoint the operator configured).",
      ),
    })
    .strict(),
);
export type SchemaRequest = z.output<typeof SchemaRequest>;

/** What every processing request has in common, as submit reads it. */
export type ProcessingRequest = ExtractRequest | SplitRequest | SchemaRequest;

// ── Results ──────────────────────────────────────────────────────────────────────────────────

export const BBox = z
  .tuple([z.number(), z.number(), z.number(), z.number()])
  .describe("[x0, y0, x1, y1] normalized to 0..1 from the page's top-left");
export type BBox = z.output<typeof BBox>;

export const BlockType = z.enum([
  "title",
  "heading",
  "paragraph",
  "list_item",
  "table",
  "figure",
  "caption",
  "code",
  "formula",
  "header",
  "footer",
  "page_number",
]);
export type BlockType = z.output<typeof BlockType>;

export const BlockLine = z
  .object({
    start: z.number().int().describe("Offset in the block's `text` (UTF-16 code units) where the line's text starts."),
    end: z.number().int().describe("Offset where it ends (exclusive): the line is `text.slice(start, end)`."),
    bbox: BBox,
  })
  .describe("One printed line of a block: where it is in the block's text, and its box.");
export type BlockLine = z.output<typeof BlockLine>;

export const Block = z
  .object({
    id: z.string(),
    type: BlockType,
    text: z.string(),
    bbox: BBox,
    level: z.number().int().optional().describe("Heading level 1..6, for title and heading; nesting depth (1 = outermost), for list_item."),
    confidence: z.number().optional().describe("OCR confidence 0..1, when the block came from OCR."),
    continues: z
      .string()
      .optional()
      .describe(
        "Id of the block this one continues: a paragraph broken by a column or page break. The markdown joins the two; each keeps its own page and bbox, so both can be cited.",
      ),
    lines: z
      .array(BlockLine)
      .optional()
      .describe(
        "The block's printed lines, in reading order, for a text block of two or more lines (its `text` joins them with spaces): which part of the text each line holds and where it sits, e.g. to match the lines of a column of names to table rows.",
      ),
  })
  .describe("One layout element of a page, in reading order.");
export type Block = z.output<typeof Block>;

export const TableCell = z
  .object({
    text: z.string(),
    bbox: BBox,
    row_span: z.number().int().describe("Grid rows the cell covers (1 for an ordinary cell)."),
    col_span: z.number().int().describe("Grid columns the cell covers (1 for an ordinary cell)."),
  })
  .describe("One cell of a table; a spanning cell appears once, at its top-left grid position.");
export type TableCell = z.output<typeof TableCell>;

export const Table = z
  .object({
    block_id: z.string().describe("The table block this table is drawn as."),
    page_number: z.number().int(),
    bbox: BBox,
    rows: z.array(z.array(TableCell)).describe("Rows top to bottom; each holds the cells that start in it, left to right (spans as HTML)."),
  })
  .describe("A table's cell structure; its text is also in the markdown (see the tables option).");
export type Table = z.output<typeof Table>;

export const JobTimings = z
  .object({
    total_ms: z.number().describe("every stage's queue wait and run time, summed"),
    stages: z
      .record(z.string(), z.record(z.string(), z.number()))
      .describe(
        "per stage, in the order they ran: queue_ms, run_ms, and the parts it measures (load_ms, fetch_ms, ocr_ms summed over pages, store_ms); the last stage has no store_ms",
      ),
  })
  .describe("where the job's time went, in milliseconds");
export type JobTimings = z.output<typeof JobTimings>;

export const ExtractionPage = z.object({
  page_number: z.number().int().describe("1-based."),
  width: z.number().describe("Page width in PDF points (1/72 in)."),
  height: z.number().describe("Page height in PDF points (1/72 in)."),
  ocr: z.boolean(),
  ocr_reason: z.string().optional(),
  blocks: z.array(Block),
});
export type ExtractionPage = z.output<typeof ExtractionPage>;

export const Chunk = z.object({
  text: z.string(),
  pages: z.array(z.number().int()),
  block_ids: z.array(z.string()),
  headings: z.array(z.string()).optional().describe('The headings the chunk sits under, outermost first (e.g. ["2 Methods", "2.1 Data"]).'),
});
export type Chunk = z.output<typeof Chunk>;

export const Extraction = z
  .object({
    extraction_id: z
      .string()
      .describe("ext_<32 hex>: read it again with GET /v1/extractions/{id}, or pass it as extraction_id to split or schema."),
    markdown: z.string(),
    page_count: z.number().int(),
    pages: z.array(ExtractionPage),
    tables: z.array(Table),
    chunks: z.array(Chunk),
    usage: z.object({ pages: z.number().int(), cached_parse: z.boolean(), timings: JobTimings.optional() }),
  })
  .describe("The result of an extract job, and what GET /v1/extractions/{id} returns.");
export type Extraction = z.output<typeof Extraction>;

export const SplitPartition = z
  .object({
    key: z.string().describe('The value of the section\'s partition_key on these pages (e.g. "INV-1042"), or "" when none was found.'),
    pages: z.array(z.number().int()),
    page_ranges: z.string(),
  })
  .describe("One distinct document inside a section, e.g. one invoice of a bundle.");
export type SplitPartition = z.output<typeof SplitPartition>;

export const SplitSectionResult = z.object({
  name: z.string(),
  pages: z.array(z.number().int()).describe("1-based, ascending; a page belongs to at most one section"),
  page_ranges: z.string().describe('The same pages as ranges, e.g. "1-3,7"'),
  confidence: z.number().describe("0..1"),
  reason: z.string().describe("the evidence that decided, e.g. \"title page 'Invoice'; 'Page 1 of 3' reset\""),
  partitions: z.array(SplitPartition).optional().describe("with partition_key: one per distinct document of the section"),
});
export type SplitSectionResult = z.output<typeof SplitSectionResult>;

export const SplitResult = z
  .object({
    split_id: z.string(),
    extraction_id: z.string().describe("The extraction the split read; reusable as extraction_id."),
    page_count: z.number().int(),
    splits: z.array(SplitSectionResult),
    unassigned_pages: z.array(z.number().int()).describe("Pages no section claimed."),
    usage: z.object({ pages: z.number().int(), engine: Engine, cached_parse: z.boolean(), timings: JobTimings.optional() }),
  })
  .describe("The result of a split job.");
export type SplitResult = z.output<typeof SplitResult>;

export const SchemaCitation = z
  .object({
    page: z.number().int().describe("1-based."),
    bbox: BBox,
    text: z.string().describe("The block's or table cell's text, which contains the value."),
    block_id: z.string(),
  })
  .describe("Where one value of schema_output was read.");
export type SchemaCitation = z.output<typeof SchemaCitation>;

export const SchemaResult = z
  .object({
    schema_id: z.string(),
    extraction_id: z.string().describe("The extraction the values were read from; reusable as extraction_id."),
    schema_output: z
      .record(z.string(), z.unknown())
      .describe("The schema filled; a value the document does not hold is null, never guessed."),
    citations: z
      .record(z.string(), z.array(SchemaCitation))
      .describe('JSON pointer into schema_output (e.g. "/total") → where the value was read'),
    confidence: z.record(z.string(), z.number()).describe("JSON pointer → 0..1"),
    validation: z
      .object({ valid: z.boolean(), errors: z.array(z.object({ pointer: z.string(), message: z.string() })) })
      .describe("schema_output checked against input_schema; an invalid output is still returned, flagged"),
    dropped: z.array(z.string()).optional().describe("llm engine: pointers whose answer was not found in the document, set to null"),
    usage: z.object({
      pages: z.number().int(),
      engine: Engine,
      cached_parse: z.boolean(),
      fields_filled: z.number().int(),
      timings: JobTimings.optional(),
    }),
  })
  .describe("The result of a schema job.");
export type SchemaResult = z.output<typeof SchemaResult>;

// ── Jobs and files ───────────────────────────────────────────────────────────────────────────

export const JobStatusName = z.enum(["pending", "processing", "completed", "failed", "canceled"]);
export const JobKindName = z.enum(["extract", "split", "schema"]);

export const ApiError = z
  .object({
    error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()) }),
  })
  .describe("The body of every error response.");
export type ApiError = z.output<typeof ApiError>;

export const JobProgress = z.object({
  pct: z.number().describe("0..100."),
  message: z.string().describe('Human-readable, e.g. "page 3/12"; may be empty.'),
  stage: z.string().describe('The pipeline stage doing the work, e.g. "parse"; may be empty.'),
});

export const JobError = z.object({ code: z.string(), message: z.string() });

export const JobView = z.object({
  job_id: z.string(),
  kind: JobKindName,
  status: JobStatusName,
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
  completed_at: z.iso.datetime().nullable().describe("null while the job runs"),
  progress: JobProgress,
  metadata: z.record(z.string(), z.unknown()),
  trace_id: z.string().nullable().describe("W3C trace id of the job's trace: every service's spans and log lines about the job carry it."),
  result: z
    .union([Extraction, SplitResult, SchemaResult])
    .optional()
    .describe("Once completed: an Extraction (extract), a SplitResult (split) or a SchemaResult (schema)."),
  error: JobError.optional(),
});

export const JobSummary = JobView.omit({ result: true }).describe("A job as GET /v1/jobs lists it: without its result.");

export const JobAccepted = z.object({ job_id: z.string(), status: JobStatusName });

export const JobList = z.object({
  jobs: z.array(JobSummary),
  next_cursor: z.string().nullable().describe("Pass as cursor to get the next page; null on the last page."),
});

export const FileUploaded = z.object({
  file_id: z.string().describe("file_<sha256 hex>: uploads are content-addressed, so the same bytes give the same id."),
  bytes: z.number().int(),
  media_type: z.string(),
  filename: z.string().nullable(),
});

export const ListQuery = z.object({
  status: JobStatusName.optional(),
  kind: JobKindName.optional(),
  limit: z.coerce.number().int().min(1, "limit must be 1..100").max(100, "limit must be 1..100").default(20),
  cursor: z.string().max(512).optional(),
});

// ── Webhooks (/v1/webhooks) ────────────────────────────────────────────────────────────────

export const WebhookCreate = z
  .object({
    url: webhookUrl.describe("Receiver URL (http/https; private addresses are refused)."),
    events: z
      .array(WebhookEventName)
      .min(1)
      .max(4)
      .default([...DEFAULT_WEBHOOK_EVENTS])
      .describe('Event types to receive; default the terminal ones. "job.progress" is opt-in.'),
    description: z.string().max(500).default(""),
  })
  .strict();

const iso = z.iso.datetime();

export const WebhookView = z
  .object({
    endpoint_id: z.string().describe("ep_<32 hex>."),
    url: z.string(),
    events: z.array(WebhookEventName),
    description: z.string(),
    created_at: iso,
    disabled: z
      .boolean()
      .describe("true after a 410 Gone, or after every attempt failed for the disable period; register it again to resume"),
    disabled_reason: z.string().nullable(),
    disabled_at: iso.nullable(),
    failing_since: iso.nullable().describe("start of the current run of failed attempts; null while deliveries succeed"),
    previous_secret_expires_at: iso.nullable().describe("while set, deliveries carry a signature with the old secret too"),
  })
  .describe("A registered webhook endpoint. Its secret is shown only when it is created or rotated.");

export const WebhookCreated = WebhookView.extend({
  secret: z.string().describe("whsec_<base64>; shown only now, so store it: verify deliveries with it"),
}).describe("POST /v1/webhooks: the endpoint and its signing secret.");
export const WebhookList = z.object({
  webhooks: z.array(WebhookView).describe("Oldest first; disabled endpoints included (see disabled_reason)."),
});
export const WebhookRotated = z.object({
  endpoint_id: z.string(),
  secret: z.string().describe("The new whsec_ secret, shown only in this response."),
  previous_secret_expires_at: iso.describe("Until then deliveries are signed with the previous secret too."),
});
export const WebhookDeleted = z.object({ endpoint_id: z.string(), deleted: z.literal(true) });

export const SigningSecret = z.object({
  secret: z.string().describe("whsec_<base64>: verify deliveries of job webhooks that named no webhook_secret with it."),
  signs: z.string(),
});

export const WebhookDeliveryAttempt = z.object({
  attempt: z.number().int().describe("1-based."),
  time: iso,
  status_code: z.number().int().nullable().describe("The receiver's HTTP status, or null when none came (connection error, timeout)."),
  latency_ms: z.number(),
  error: z.string().nullable(),
  manual: z.boolean().describe("true for an attempt asked for with POST /v1/webhooks/deliveries/{id}/retry"),
});

export const WebhookDeliveryView = z
  .object({
    delivery_id: z.string().describe("dlv_<32 hex>."),
    job_id: z.string(),
    endpoint_id: z.string().nullable().describe("null for the job's own webhook_url"),
    url: z.string(),
    event_type: WebhookEventName,
    message_id: z.string().describe("the webhook-id header, the same on every attempt and replay, so receivers can drop duplicates"),
    status: z.enum(["pending", "succeeded", "failed"]),
    created_at: iso,
    next_attempt_at: iso.nullable().describe("null when no attempt is scheduled"),
    attempts: z.array(WebhookDeliveryAttempt),
  })
  .describe("One event sent (or being sent) to one target, with every attempt.");

export const WebhookDeliveryList = z.object({ deliveries: z.array(WebhookDeliveryView).describe("Newest first.") });

export const DeliveryRetried = z
  .object({ delivery_id: z.string(), status: z.literal("pending"), next_attempt_at: iso })
  .describe("The replay is scheduled.");

export const DeliveriesQuery = z.object({
  job_id: z
    .string()
    .regex(/^job_[0-9a-f]{32}$/, "job_id must look like job_<32 hex chars>")
    .optional(),
  endpoint_id: z
    .string()
    .regex(/^(ep_[0-9a-f]{32}|request)$/, 'endpoint_id must look like ep_<32 hex chars>, or "request"')
    .optional(),
  limit: z.coerce.number().int().min(1, "limit must be 1..100").max(100, "limit must be 1..100").default(50),
});

/** The body Quire POSTs to webhook targets (documented under `webhooks` in the OpenAPI document). */
export const WebhookEventBody = z.object({
  type: WebhookEventName,
  timestamp: iso.describe("when the job event happened; the webhook-timestamp header is the attempt's time"),
  data: z.object({
    job_id: z.string(),
    kind: JobKindName,
    status: z.enum(["processing", "completed", "failed", "canceled"]),
    metadata: z.record(z.string(), z.unknown()),
    result: z
      .union([Extraction, SplitResult, SchemaResult])
      .optional()
      .describe("job.completed, when the result is small enough to inline"),
    result_url: z.string().optional().describe("job.completed otherwise: GET it with an API key"),
    progress: JobProgress.optional().describe("job.progress only"),
    error: JobError.nullable(),
  }),
});
