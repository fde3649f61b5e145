/** REST shapes shared by the gateway, the extract stage and the SDK. */

/** `[x0, y0, x1, y1]`, normalized to 0..1 from the page's top-left corner. */
export type BBox = [number, number, number, number];

export type BlockType =
  | "title" | "heading" | "paragraph" | "list_item" | "table" | "figure" | "caption"
  | "code" | "formula" | "header" | "footer" | "page_number";

export interface Block {
  id: string;
  type: BlockType;
  text: string;
  bbox: BBox;
  /** Heading level 1..6, for `title`/`heading`; nesting depth (1 = outermost), for `list_item`. */
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
  /** Grid rows / columns the cell covers. @default 1 */
  row_span: number;
  col_span: number;
}

export interface Table {
  /** The `table` block this table is drawn as. */
  block_id: string;
  page_number: number;
  bbox: BBox;
  /** Rows top to bottom; each holds the cells that start in it, left to right. */
  rows: TableCell[][];
}

export interface ExtractionPage {
  page_number: number;
  /** Page size in PDF points (1/72 in). */
  width: number;
  height: number;
  ocr: boolean;
  ocr_reason?: string;
  blocks: Block[];
}

export interface Chunk {
  text: string;
  pages: number[];
  block_ids: string[];
  /** The headings the chunk sits under, outermost first (e.g. ["2 Methods", "2.1 Data"]). */
  headings?: string[];
}

/** `chunking` option of extract: how the markdown is cut into chunks. */
export interface Chunking {
  /** `section`: at headings; `page`: one chunk per page; `size`: packed up to `max_chars`. */
  strategy: "section" | "page" | "size";
  /** A chunk's text stays under this many characters (split at block, then sentence bounds). @default 4000 */
  max_chars?: number;
}

export interface Extraction {
  extraction_id: string;
  markdown: string;
  page_count: number;
  pages: ExtractionPage[];
  tables: Table[];
  chunks: Chunk[];
  usage: { pages: number; cached_parse: boolean; timings?: JobTimings };
}

export interface ApiError {
  error: { code: string; message: string; details: Record<string, unknown> };
}

/** One named section of a split request: pages are assigned to it by what they say. */
export interface SplitSectionInput {
  name: string;
  /** What the section's pages look like or are about; the more specific, the better. */
  description: string;
  /** e.g. "invoice number": each distinct document of the section becomes its own partition, keyed by it. */
  partition_key?: string;
}

/** `split_config` of `POST /v1/split`. */
export interface SplitConfig {
  /** 1–50 sections with unique names. */
  split_input: SplitSectionInput[];
  /** Free-text guidance (used by the `llm` engine; the deterministic engine ignores it). */
  split_rules?: string;
}

/** One distinct document inside a section, e.g. one invoice of a bundle. */
export interface SplitPartition {
  /** The value of the section's partition_key on these pages (e.g. "INV-1042"), or "" when none was found. */
  key: string;
  pages: number[];
  page_ranges: string;
}

export interface SplitSectionResult {
  name: string;
  /** 1-based page numbers, ascending; a page belongs to at most one section. */
  pages: number[];
  /** The same pages as ranges, e.g. "1-3,7". */
  page_ranges: string;
  /** 0..1 */
  confidence: number;
  /** The evidence that decided, e.g. "title page 'Invoice'; 'Page 1 of 3' reset". */
  reason: string;
  /** Present when the section has a partition_key. */
  partitions?: SplitPartition[];
}

export interface SplitResult {
  split_id: string;
  /** The extraction the split read; reusable as `extraction_id` by later split or schema calls. */
  extraction_id: string;
  page_count: number;
  splits: SplitSectionResult[];
  /** Pages no section claimed. */
  unassigned_pages: number[];
  usage: { pages: number; engine: "deterministic" | "llm"; cached_parse: boolean; timings?: JobTimings };
}

/** `schema_config` of `POST /v1/schema`. */
export interface SchemaConfig {
  /** A JSON Schema (2020-12, or draft-07 via `$schema`): objects, arrays of objects, scalars, formats, enums. */
  input_schema: Record<string, unknown>;
  /** Guidance (used by the `llm` engine; the deterministic one reads date order hints like "MM/DD"). */
  schema_prompt?: string;
}

/** Where one value of `schema_output` was read. */
export interface SchemaCitation {
  page: number;
  bbox: BBox;
  /** The block's or table cell's text, which contains the value. */
  text: string;
  block_id: string;
}

export interface SchemaResult {
  schema_id: string;
  /** The extraction the values were read from; reusable as `extraction_id`. */
  extraction_id: string;
  /** The user's schema filled; a value the document does not hold is null. */
  schema_output: Record<string, unknown>;
  /** JSON pointer into schema_output → where the value was read. Every non-null scalar has one. */
  citations: Record<string, SchemaCitation[]>;
  /** JSON pointer → 0..1. */
  confidence: Record<string, number>;
  /** schema_output checked against the input schema; an invalid output is still returned, flagged. */
  validation: { valid: boolean; errors: { pointer: string; message: string }[] };
  /** llm engine: pointers whose answer was not found in the document, set to null. */
  dropped?: string[];
  usage: { pages: number; engine: "deterministic" | "llm"; cached_parse: boolean; fields_filled: number; timings?: JobTimings };
}

/**
 * `usage.timings`: where the job's time went, in milliseconds, per stage in the order they ran:
 * `queue_ms` (its work message waiting), `run_ms`, and the parts a stage measures (`load_ms`,
 * `fetch_ms`, `ocr_ms` summed over pages, `store_ms`). A result cannot hold the time taken to
 * store itself, so the last stage has no `store_ms`.
 */
export interface JobTimings {
  /** Every stage's queue wait and run time, summed. */
  total_ms: number;
  stages: Record<string, Record<string, number>>;
}
