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
  /** Heading level 1..6, for `title` and `heading`. */
  level?: number;
  /** OCR confidence 0..1, when the block came from OCR. */
  confidence?: number;
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
}

/** The result of an extract job. */
export interface Extraction {
  extraction_id: string;
  markdown: string;
  page_count: number;
  pages: ExtractionPage[];
  chunks: Chunk[];
  usage: { pages: number; cached_parse: boolean };
}

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

/** `GET /v1/jobs/{id}`. `result` is present once an extract job has completed. */
export interface Job {
  job_id: string;
  kind: JobKind;
  status: JobStatus;
  /** ISO 8601. */
  created_at: string;
  /** ISO 8601. */
  updated_at: string;
  /** ISO 8601, or null while the job runs. */
  completed_at: string | null;
  progress: JobProgress;
  metadata: Record<string, unknown>;
  result?: Extraction;
  error?: JobError;
}

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

export interface ExtractOptions {
  /** Page selection, 1-based, e.g. `"1-3,7"`. All pages when omitted. */
  pages?: string;
  /** Password of an encrypted PDF. */
  password?: string;
  /** Any JSON object (at most 16 KiB); echoed in the job and its webhooks. */
  metadata?: Record<string, unknown>;
  /** @default "auto" */
  ocr?: "auto" | "always" | "never";
  /** Tesseract language codes. @default ["eng"] */
  languages?: string[];
  /** Sent as `Idempotency-Key`; a random UUID when omitted. */
  idempotencyKey?: string;
  /** Aborts the request (and any polling that follows it). */
  signal?: AbortSignal;
}

export interface ListJobsParams {
  status?: JobStatus;
  kind?: JobKind;
  /** 1..100. @default 20 (server side) */
  limit?: number;
  cursor?: string;
}
