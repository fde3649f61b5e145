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
  usage: { pages: number; cached_parse: boolean };
}

export interface ApiError {
  error: { code: string; message: string; details: Record<string, unknown> };
}
