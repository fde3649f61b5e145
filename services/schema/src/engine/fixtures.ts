/**
 * Builds `Extraction`s from a compact page layout, for tests of the engines (and of the
 * service around them) without parsing a PDF: blocks are `[text, x0, y0, x1, y1]` in
 * normalized page units; tables are rows of such cells.
 */
import type { BBox, Block, BlockType, Extraction, Table } from "@quire/contracts";

/** `[text, x0, y0, x1, y1, type?]` */
export type BlockSpec = [string, number, number, number, number, BlockType?];

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
    const blocks: Block[] = (spec.blocks ?? []).map(([text, x0, y0, x1, y1, type], i) => ({
      id: `p${pageNumber}-b${i + 1}`,
      type: type ?? "paragraph",
      text,
      bbox: [x0, y0, x1, y1] as BBox,
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
