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
  /** Heading level 1..6, for `title`/`heading`. */
  level?: number;
  /** OCR confidence 0..1, when the block came from OCR. */
  confidence?: number;
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
}

export interface Extraction {
  extraction_id: string;
  markdown: string;
  page_count: number;
  pages: ExtractionPage[];
  chunks: Chunk[];
  usage: { pages: number; cached_parse: boolean };
}

export interface ApiError {
  error: { code: string; message: string; details: Record<string, unknown> };
}
