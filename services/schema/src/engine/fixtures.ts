/**
 * Builds `Extraction`s from a compact page layout, for tests of the engines (and of the
 * service around them) without parsing a PDF: blocks are `[text, x0, y0, x1, y1]` in
 * normalized page units; tables are rows of such cells.
 */
import type { BBox, Block, BlockType, Extraction, Table } from "@quire/contracts";

/** `[text, x0, y0, x1, y1]` of one printed line. */
export type LineSpec = [string, number, number, number, number];

/** `[text, x0, y0, x1, y1, type?, lines?]`; `lines` become the block's printed lines (see `printedLines`). */
export type BlockSpec = [string, number, number, number, number, BlockType?, LineSpec[]?];

/** A table: its cells row by row, each `[text, x0, y0, x1, y1]`, optionally spanning columns. */
export interface TableSpec {
  rows: Array<Array<[string, number, number, number, number, number?]>>;
}

/** One page of a fixture: its blocks and tables. */
export interface PageSpec {
  blocks?: BlockSpec[];
  tables?: TableSpec[];
}

/** One extraction; pages in order, block ids `p<page>-b<n>` in the order given (tables after blocks). */
export function makeExtraction(pages: PageSpec[], id = "ext-test"): Extraction {
  const tables: Table[] = [];
  const out = pages.map((spec, p) => {
    const pageNumber = p + 1;
    const blocks: Block[] = (spec.blocks ?? []).map(([text, x0, y0, x1, y1, type, lines], i) => ({
      id: `p${pageNumber}-b${i + 1}`,
      type: type ?? "paragraph",
      text,
      bbox: [x0, y0, x1, y1] as BBox,
      ...(lines ? { lines: lineOffsets(text, lines) } : {}),
    }));
    for (const t of spec.tables ?? []) {
      const id = `p${pageNumber}-b${blocks.length + 1}`;
      const cells = t.rows.flat();
      const bbox: BBox = [
        Math.min(...cells.map((c) => c[1])),
        Math.min(...cells.map((c) => c[2])),
        Math.max(...cells.map((c) => c[3])),
        Math.max(...cells.map((c) => c[4])),
      ];
      blocks.push({ id, type: "table", text: t.rows.map((r) => `| ${r.map((c) => c[0]).join(" | ")} |`).join("\n"), bbox });
      tables.push({
        block_id: id,
        page_number: pageNumber,
        bbox,
        rows: t.rows.map((r) =>
          r.map(([text, x0, y0, x1, y1, span]) => ({ text, bbox: [x0, y0, x1, y1] as BBox, row_span: 1, col_span: span ?? 1 })),
        ),
      });
    }
    return { page_number: pageNumber, width: 595, height: 842, ocr: false, blocks };
  });
  const markdown = out.map((p) => p.blocks.map((b) => b.text).join("\n\n")).join("\n\n");
  return {
    extraction_id: id,
    markdown,
    page_count: out.length,
    pages: out,
    tables,
    chunks: [],
    usage: { pages: out.length, cached_parse: false },
  };
}

/** Cells of one table row at height `y`, one per `[text, x0, x1]`. */
export function row(y: number, cells: Array<[string, number, number]>, height = 0.016): Array<[string, number, number, number, number]> {
  return cells.map(([text, x0, x1]) => [text, x0, y, x1, y + height]);
}

/** Each line's place in the block's text (found in order) and its box, as extract gives them. */
function lineOffsets(text: string, lines: readonly LineSpec[]): Block["lines"] {
  let at = 0;
  return lines.map(([t, x0, y0, x1, y1]) => {
    const start = text.indexOf(t, at);
    if (start < 0) throw new Error(`line ${JSON.stringify(t)} is not in the block's text`);
    at = start + t.length;
    return { start, end: at, bbox: [x0, y0, x1, y1] as BBox };
  });
}

/** A block of several printed lines, as extract makes it: its text joins them with spaces, its box is their union. */
export function printedLines(lines: LineSpec[], type: BlockType = "paragraph"): BlockSpec {
  return [
    lines.map((l) => l[0]).join(" "),
    Math.min(...lines.map((l) => l[1])),
    Math.min(...lines.map((l) => l[2])),
    Math.max(...lines.map((l) => l[3])),
    Math.max(...lines.map((l) => l[4])),
    type,
    lines,
  ];
}
