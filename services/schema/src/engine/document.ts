/**
 * The extraction flattened into citable segments: one per text block, one per table cell
 * (a table block's own text is markdown, its cells are what the page shows). Engines read
 * segments and cite them, so every value points at a block or cell the user can see.
 */
import type { BBox, Extraction } from "@quire/contracts";
import { inferDateOrder, type DateOrder } from "./coerce.js";
import type { Citation } from "@quire/json-schema";

/** Where a table cell sits in its table's grid. */
export interface CellPosition {
  table: number;
  row: number;
  /** Grid column of the cell's left edge, spans and row spans accounted for. */
  col: number;
  colSpan: number;
  rowSpan: number;
}

/** One citable piece of the document: a text block or a table cell. */
export interface Segment {
  /** Index in `Doc.segments`, which is reading order (page, block order, cells row by row). */
  index: number;
  page: number;
  bbox: BBox;
  text: string;
  blockId: string;
  blockType: string;
  cell?: CellPosition;
  /** For a line cut out of a block: the block, which is what a citation shows. */
  citeAs?: Segment;
  /** A block of two or more printed lines: each line with its own box (from the extraction's `lines`), cited as the block. */
  lines?: Segment[];
}

/** A table as segment indexes per row, for "the next cell" and "the cell below". */
export interface TableGrid {
  index: number;
  page: number;
  blockId: string;
  /** `cells[row]` = segment indexes of the cells starting in that row, left to right. */
  rows: number[][];
}

/** The extraction as the engines read it. */
export interface Doc {
  segments: Segment[];
  tables: TableGrid[];
  dateOrder: DateOrder;
  /** Typical height of one text line, in page-height units (for "the block below" distances). */
  lineHeight: number;
  /** Segments per page number, in reading order. */
  byPage: Map<number, Segment[]>;
}

/** Flattens an extraction; `dateHint` comes from the prompt when it says how dates are written. */
export function buildDoc(extraction: Extraction, dateHint?: DateOrder): Doc {
  const segments: Segment[] = [];
  const tables: TableGrid[] = [];
  const byBlock = new Map(extraction.tables.map((t) => [`${t.page_number}:${t.block_id}`, t]));
  for (const page of extraction.pages) {
    for (const block of page.blocks) {
      const table = block.type === "table" ? byBlock.get(`${page.page_number}:${block.id}`) : undefined;
      if (table) {
        tables.push(tableSegments(table, tables.length, segments));
        continue;
      }
      const text = block.text.trim();
      if (text === "") continue;
      const seg: Segment = {
        index: segments.length,
        page: page.page_number,
        bbox: block.bbox,
        text,
        blockId: block.id,
        blockType: block.type,
      };
      const lines = (block.lines ?? [])
        .map((l) => ({ text: block.text.slice(l.start, l.end).trim(), bbox: l.bbox }))
        .filter((l) => l.text !== "");
      if (lines.length > 1)
        seg.lines = lines.map((l) => ({
          index: seg.index,
          page: seg.page,
          bbox: l.bbox,
          text: l.text,
          blockId: seg.blockId,
          blockType: seg.blockType,
          citeAs: seg,
        }));
      segments.push(seg);
    }
  }
  const byPage = new Map<number, Segment[]>();
  for (const s of segments) byPage.set(s.page, [...(byPage.get(s.page) ?? []), s]);
  return {
    segments,
    tables,
    dateOrder: inferDateOrder(
      segments.map((s) => s.text),
      dateHint,
    ),
    lineHeight: typicalLineHeight(segments),
    byPage,
  };
}

function tableSegments(table: Extraction["tables"][number], index: number, segments: Segment[]): TableGrid {
  const grid: TableGrid = { index, page: table.page_number, blockId: table.block_id, rows: [] };
  const taken: boolean[][] = [];
  table.rows.forEach((row, r) => {
    const ids: number[] = [];
    let col = 0;
    for (const cell of row) {
      while (taken[r]?.[col]) col++;
      const [rowSpan, colSpan] = [Math.max(1, cell.row_span || 1), Math.max(1, cell.col_span || 1)];
      for (let dr = 0; dr < rowSpan; dr++) for (let dc = 0; dc < colSpan; dc++) (taken[r + dr] ??= [])[col + dc] = true;
      const text = cell.text.trim();
      if (text !== "") {
        ids.push(segments.length);
        segments.push({
          index: segments.length,
          page: table.page_number,
          bbox: cell.bbox,
          text,
          blockId: table.block_id,
          blockType: "table",
          cell: { table: index, row: r, col, colSpan, rowSpan },
        });
      }
      col += colSpan;
    }
    grid.rows.push(ids);
  });
  return grid;
}

/** The lower quartile of segment heights: most segments hold one line, paragraphs hold more. */
function typicalLineHeight(segments: readonly Segment[]): number {
  const heights = segments
    .map((s) => s.bbox[3] - s.bbox[1])
    .filter((h) => h > 0)
    .sort((a, b) => a - b);
  return heights[Math.floor(heights.length / 4)] ?? 0.015;
}

/** The citation of one segment. */
export function citationOf(part: Segment): Citation {
  const segment = part.citeAs ?? part;
  return { page: segment.page, bbox: segment.bbox, text: segment.text, block_id: segment.blockId };
}

/** The citations of the segments a value came from, one per block or cell (lines of one block cite it once). */
export function citationsOf(parts: readonly Segment[]): Citation[] {
  return [...new Set(parts.map((p) => p.citeAs ?? p))].map(citationOf);
}

/** Overlap of two intervals over the shorter one's length, 0..1. */
export function overlapRatio(a0: number, a1: number, b0: number, b1: number): number {
  const shorter = Math.min(a1 - a0, b1 - b0);
  if (shorter <= 0) return 0;
  return Math.max(0, Math.min(a1, b1) - Math.max(a0, b0)) / shorter;
}

/** True when two segments sit on one text line (same page, vertical overlap ≥ half the shorter). */
export function sameLine(a: Segment, b: Segment): boolean {
  return a.page === b.page && overlapRatio(a.bbox[1], a.bbox[3], b.bbox[1], b.bbox[3]) >= 0.5;
}

/** The horizontal span of the characters [start, end) of a segment's text, assuming even character widths. */
export function charSpan(segment: Segment, start: number, end: number): [number, number] {
  const [x0, , x1] = segment.bbox;
  const n = Math.max(1, segment.text.length);
  return [x0 + ((x1 - x0) * start) / n, x0 + ((x1 - x0) * end) / n];
}
