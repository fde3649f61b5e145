import { createHmac } from "node:crypto";

/**
 * Quire jobs in the shapes of two hosted vendors' APIs (Reducto, Extend), so their SDKs work
 * against Quire unchanged. One source for both sides that need it: the gateway's vendor routes
 * (services/gateway/src/compat) answer with these shapes, and the notifier builds and signs
 * vendor-style webhooks (WebhookTarget.style) from them.
 */

/** WebhookTarget.style / WebhookDelivery.style values besides "" (Quire's own Standard Webhooks). */
export type VendorStyle = "extend" | "reducto";
export const isVendorStyle = (s: string): s is VendorStyle => s === "extend" || s === "reducto";

export type VendorOp = "parse" | "extract" | "split";

/**
 * What a vendor route records about its request, under `_compat` in the job's metadata (so the
 * job, read back from the one job store, can be answered in the vendor's shape by anyone).
 */
export interface CompatInfo {
  vendor: VendorStyle;
  op: VendorOp;
  /** The vendor-visible file id of the input. */
  fileId?: string | undefined;
  fileName?: string | undefined;
  /** The caller's own metadata (any JSON for Reducto), echoed back as sent. */
  metadata?: unknown;
  /** Reducto extract: settings.array_extract. */
  arrayExtract?: boolean | undefined;
  /** Extend split: Quire section name → the classification's id. */
  classes?: Record<string, string> | undefined;
  /** Extend split: the classification of type "other", which takes the unassigned pages. */
  other?: string | undefined;
  /** Extend run config, echoed. */
  config?: unknown;
}

export const COMPAT_KEY = "_compat";

/** Quire metadata for a vendor job: the caller's object metadata as is (so /v1/jobs shows it), plus `_compat`. */
export function compatMetadata(info: CompatInfo): Record<string, unknown> {
  const m = info.metadata;
  const own = typeof m === "object" && m !== null && !Array.isArray(m) ? (m as Record<string, unknown>) : {};
  return { ...own, [COMPAT_KEY]: info };
}

export function readCompat(metadata: Record<string, unknown> | undefined): CompatInfo | null {
  const c = metadata?.[COMPAT_KEY];
  return typeof c === "object" && c !== null && ((c as CompatInfo).vendor === "reducto" || (c as CompatInfo).vendor === "extend")
    ? (c as CompatInfo)
    : null;
}

/** A Quire job as both vendors' mappings read it (the REST job view's fields). */
export interface CompatJob {
  job_id: string;
  kind: string;
  status: "pending" | "processing" | "completed" | "failed" | "canceled";
  created_at: string;
  updated_at: string;
  metadata: Record<string, unknown>;
  error?: { code: string; message: string } | undefined;
}

/** The op a Quire job kind stands for, when the job was not made through a vendor route. */
export const opOfKind = (kind: string): VendorOp => (kind === "schema" ? "extract" : kind === "split" ? "split" : "parse");

type Json = Record<string, unknown>;
/** The stored results are JSON of known shape (Extraction, SplitResult, SchemaResult); read loosely. */
type Loose = any;

const BLOCK_TYPES: Record<string, string> = {
  title: "Title",
  heading: "Section Header",
  paragraph: "Text",
  list_item: "List Item",
  table: "Table",
  figure: "Figure",
  caption: "Text",
  code: "Text",
  formula: "Text",
  header: "Header",
  footer: "Footer",
  page_number: "Page Number",
};

const pagesOf = (r: Loose): number => Number(r?.usage?.pages ?? r?.page_count ?? 0);

// ── Reducto ──────────────────────────────────────────────────────────────────────────────────

/** GET /job/{id}: Pending while working (callers loop while Pending/Idle), Completed, Failed (also canceled, reason "Cancelled"). */
export function reductoJobStatus(s: CompatJob["status"]): "Pending" | "Completed" | "Failed" {
  return s === "completed" ? "Completed" : s === "failed" || s === "canceled" ? "Failed" : "Pending";
}

/** GET /jobs: the list's wider vocabulary. */
export function reductoListStatus(s: CompatJob["status"]): string {
  return { pending: "Pending", processing: "InProgress", completed: "Completed", failed: "Failed", canceled: "Cancelled" }[s];
}

export const reductoType = (op: VendorOp): string => ({ parse: "Parse", extract: "Extract", split: "Split" })[op];

/** A completed job's result, shaped as the sync endpoint of its op answers. */
export function reductoResult(op: VendorOp, jobId: string, result: Loose, info: CompatInfo | null, durationS: number): Json {
  if (op === "extract") {
    const value = result.schema_output ?? {};
    const citations = Object.fromEntries(
      Object.entries((result.citations ?? {}) as Record<string, Loose[]>).map(([ptr, cs]) => [
        ptr,
        cs.map((c) => ({ type: "Text", content: c.text, bbox: bboxOf(c.bbox, c.page), confidence: "high" })),
      ]),
    );
    return {
      job_id: jobId,
      duration: durationS,
      result: info?.arrayExtract ? [value] : value,
      citations: Object.keys(citations).length ? [citations] : null,
      usage: { num_pages: pagesOf(result), num_fields: Number(result.usage?.fields_filled ?? Object.keys(value).length) },
    };
  }
  if (op === "split") {
    const splits = (result.splits ?? []).map((s: Loose) => ({
      name: s.name,
      pages: s.pages,
      conf: s.confidence >= 0.5 ? "high" : "low",
      ...(s.partitions
        ? { partitions: s.partitions.map((p: Loose) => ({ name: p.key, pages: p.pages, conf: s.confidence >= 0.5 ? "high" : "low" })) }
        : {}),
    }));
    return {
      job_id: jobId,
      duration: durationS,
      result: { splits, section_mapping: Object.fromEntries(splits.map((s: Loose) => [s.name, s.pages])) },
      usage: { num_pages: pagesOf(result) },
    };
  }
  const blocks = new Map<string, Json>();
  for (const p of result.pages ?? [])
    for (const b of p.blocks ?? [])
      blocks.set(b.id, { type: BLOCK_TYPES[b.type] ?? "Text", content: b.text, bbox: bboxOf(b.bbox, p.page_number), confidence: "high" });
  const chunks = (result.chunks ?? []).map((c: Loose) => ({
    content: c.text,
    embed: c.text,
    enriched: null,
    enrichment_success: false,
    blocks: (c.block_ids ?? []).flatMap((id: string) => blocks.get(id) ?? []),
  }));
  return {
    job_id: jobId,
    duration: durationS,
    pdf_url: null,
    studio_link: null,
    usage: { num_pages: pagesOf(result), credits: null },
    result: { type: "full", chunks, ocr: null, custom: null },
  };
}

function bboxOf(b: [number, number, number, number] | undefined, page: number): Json {
  const [x0, y0, x1, y1] = b ?? [0, 0, 0, 0];
  return { left: x0, top: y0, width: x1 - x0, height: y1 - y0, page, original_page: page };
}

/** Reducto's direct-mode webhook body: the job's end, its id and the caller's metadata. */
export function reductoWebhookBody(job: CompatJob, info: CompatInfo | null): string {
  return JSON.stringify({ status: reductoJobStatus(job.status), job_id: job.job_id, metadata: info?.metadata ?? null });
}

// ── Extend ───────────────────────────────────────────────────────────────────────────────────

/** Exactly what `createAndPoll` keeps polling on while working; its terminal words otherwise. */
export function extendStatus(s: CompatJob["status"]): "PROCESSING" | "PROCESSED" | "FAILED" | "CANCELLED" {
  return s === "completed" ? "PROCESSED" : s === "failed" ? "FAILED" : s === "canceled" ? "CANCELLED" : "PROCESSING";
}

const FAILURE_REASONS: Record<string, string> = {
  UNSUPPORTED_FILE_TYPE: "FILE_TYPE_NOT_SUPPORTED",
  FILE_TOO_LARGE: "FILE_SIZE_TOO_LARGE",
  PASSWORD_REQUIRED: "CORRUPT_FILE",
  CORRUPT_FILE: "CORRUPT_FILE",
  OCR_FAILED: "OCR_ERROR",
  DEADLINE_EXCEEDED: "TIMEOUT",
};

export const extendObject = (op: VendorOp): string => `${op}_run`;

export function extendFile(info: CompatInfo | null, at: string): Json {
  return {
    object: "file",
    id: info?.fileId ?? null,
    name: info?.fileName ?? "document.pdf",
    type: "PDF",
    presignedUrl: null,
    parentFileId: null,
    contents: null,
    metadata: {},
    createdAt: at,
    updatedAt: at,
  };
}

/** The run object (ParseRun / ExtractRun / SplitRun) of a Quire job; `result` once completed. */
export function extendRun(job: CompatJob, result: Loose, info: CompatInfo | null): Json {
  const op = info?.op ?? opOfKind(job.kind);
  const status = extendStatus(job.status);
  const failed = job.status === "failed";
  const run: Json = {
    object: extendObject(op),
    id: job.job_id,
    status,
    file: extendFile(info, job.created_at),
    config: info?.config ?? {},
    failureReason: failed ? (FAILURE_REASONS[job.error?.code ?? ""] ?? "INTERNAL_ERROR") : null,
    failureMessage: failed ? (job.error?.message ?? "the job failed") : null,
    metadata: info ? (info.metadata ?? null) : job.metadata,
    output: result ? extendOutput(op, result, info) : null,
    usage: result ? { credits: pagesOf(result) } : null,
    createdAt: job.created_at,
    updatedAt: job.updated_at,
  };
  if (op === "parse")
    return {
      ...run,
      outputUrl: null,
      metrics: result ? { processingTimeMs: Number(result.usage?.timings?.total_ms ?? 0), pageCount: pagesOf(result) } : null,
    };
  return {
    ...run,
    initialOutput: null,
    reviewedOutput: null,
    reviewed: false,
    edited: false,
    edits: null,
    parseRunId: null,
    dashboardUrl: "",
    ...(op === "extract" ? { extractor: null, extractorVersion: null, files: null } : { splitter: null, splitterVersion: null }),
  };
}

function extendOutput(op: VendorOp, result: Loose, info: CompatInfo | null): Json {
  if (op === "extract") return { value: result.schema_output ?? {}, metadata: extendFieldMetadata(result) };
  if (op === "split") {
    const splits: Json[] = [];
    const add = (name: string, pages: number[], observation: string, identifier: string) => {
      for (const [start, end] of runsOf(pages))
        splits.push({
          id: `split_${splits.length + 1}`,
          type: name,
          classificationId: info?.classes?.[name] ?? name,
          observation,
          identifier,
          startPage: start,
          endPage: end,
          fileId: info?.fileId ?? null,
          name,
        });
    };
    for (const s of result.splits ?? []) {
      if (s.partitions?.length) for (const p of s.partitions) add(s.name, p.pages, s.reason ?? "", p.key ?? "");
      else add(s.name, s.pages ?? [], s.reason ?? "", "");
    }
    if (info?.other && result.unassigned_pages?.length) add(info.other, result.unassigned_pages, "no other classification matched", "");
    splits.sort((a, b) => (a.startPage as number) - (b.startPage as number));
    return { splits };
  }
  const blocks = new Map<string, Loose>();
  for (const p of result.pages ?? []) for (const b of p.blocks ?? []) blocks.set(b.id, { ...b, page: p.page_number });
  return {
    chunks: (result.chunks ?? []).map((c: Loose) => ({
      object: "chunk",
      type: "page",
      content: c.text,
      metadata: { pageRange: { start: Math.min(...c.pages), end: Math.max(...c.pages) } },
      blocks: (c.block_ids ?? []).flatMap((id: string) => {
        const b = blocks.get(id);
        if (!b) return [];
        const [x0, y0, x1, y1] = b.bbox;
        return [
          {
            object: "block",
            id,
            type: b.type === "table" ? "table" : b.type === "figure" ? "figure" : "text",
            content: b.text,
            details: {},
            metadata: { page: { number: b.page } },
            polygon: [],
            boundingBox: { left: x0, top: y0, right: x1, bottom: y1 },
          },
        ];
      }),
    })),
  };
}

/** Extend's per-field metadata: { field: { ocrConfidence, citations: [{page, referenceText}] } } for top-level fields. */
function extendFieldMetadata(result: Loose): Json {
  const out: Json = {};
  for (const [ptr, cs] of Object.entries((result.citations ?? {}) as Record<string, Loose[]>)) {
    const key = ptr.replace(/^\//, "");
    out[key] = { ocrConfidence: result.confidence?.[ptr] ?? null, citations: cs.map((c) => ({ page: c.page, referenceText: c.text })) };
  }
  return out;
}

/** Ascending pages → [start, end] runs of consecutive pages. */
function runsOf(pages: number[]): [number, number][] {
  const runs: [number, number][] = [];
  for (const p of [...pages].sort((a, b) => a - b)) {
    const last = runs.at(-1);
    if (last && p === last[1] + 1) last[1] = p;
    else runs.push([p, p]);
  }
  return runs;
}

/** Extend's webhook event type for a run's end, e.g. "extract_run.processed". */
export function extendEventType(op: VendorOp, status: CompatJob["status"]): string {
  return `${extendObject(op)}.${status === "completed" ? "processed" : status === "canceled" ? "cancelled" : "failed"}`;
}

/** The event body Extend sends: parse runs carry a slim status object, extract and split runs the full run. */
export function extendWebhookBody(eventId: string, job: CompatJob, result: Loose, info: CompatInfo | null): string {
  const op = info?.op ?? opOfKind(job.kind);
  const run = extendRun(job, result, info);
  const payload =
    op === "parse"
      ? {
          object: "parse_run_status",
          id: run.id,
          status: run.status,
          failureReason: run.failureReason,
          failureMessage: run.failureMessage,
          metadata: run.metadata,
        }
      : run;
  return JSON.stringify({ eventId, eventType: extendEventType(op, job.status), payload });
}

/** The headers `client.webhooks.verifyAndParse` checks: hex HMAC-SHA256(secret, "v0:<ts>:<body>"). */
export function extendSignatureHeaders(secret: string, body: string, now = new Date()): Record<string, string> {
  const ts = String(Math.floor(now.getTime() / 1000));
  return {
    "x-extend-request-timestamp": ts,
    "x-extend-request-signature": createHmac("sha256", secret).update(`v0:${ts}:${body}`).digest("hex"),
  };
}
