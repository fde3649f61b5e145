import type { Block, BlockLine, ExtractionPage, ParsedPage, Table } from "@quire/contracts";
import { buildBlocks, normalizeBox, type DraftBlock } from "./blocks.js";
import { ocrConfidence } from "./confidence.js";
import { elementLine } from "./elements.js";
import { findFigures, type FigureLayout } from "./figures.js";
import type { FurnitureType } from "./furniture.js";
import { bounds, type Line } from "../lines/lines.js";
import { orderLines } from "./reading-order.js";
import { normalizeSpaces } from "../lines/text.js";
import { parseListMarker } from "./list-items.js";
import type { DocumentStyle } from "../lines/styles.js";
import { markdownTable } from "../tables/table-render.js";
import { findTables, type TableLayout } from "../tables/tables.js";

/** One page laid out: what the user sees of it, its tables, and each block's place in its flow. */
export interface LaidOutPage {
  page: ExtractionPage;
  tables: Table[];
  /** The page's blocks with their draft (flow position, lines), for cross-page steps. */
  drafts: { block: Block; draft: DraftBlock }[];
  /** The document's body font size (see styles.ts), which the document-wide steps compare to. */
  bodySize: number;
}

/**
 * Lays out one page: furniture aside, tables and figures found and read as single units,
 * the rest ordered into flows and cut into blocks. Ids are "p<page>-b<n>" in reading
 * order, headers first and footers last.
 */
export function layOutPage(
  page: ParsedPage,
  lines: readonly Line[],
  furniture: ReadonlyMap<Line, FurnitureType>,
  style: DocumentStyle,
): LaidOutPage {
  const content = lines.filter((l) => !furniture.has(l));
  const tables = findTables(content, page.graphics);
  const inTables = new Set(tables.flatMap((t) => t.lines));
  const rest = content.filter((l) => !inTables.has(l));
  const figures = findFigures(
    rest,
    page.graphics,
    page,
    tables.map((t) => t.box),
  );
  const inFigures = new Set(figures.flatMap((f) => f.lines));
  const elements = [
    ...tables.map((t, index) => elementLine({ kind: "table", index }, t.box, style.bodySize)),
    ...figures.map((f, index) => elementLine({ kind: "figure", index }, f.box, style.bodySize)),
  ];
  const drafts = buildBlocks(orderLines([...rest.filter((l) => !inFigures.has(l)), ...elements]), style);
  const [top, bottom] = furnitureDrafts(lines, furniture, page.height);
  const all = [...top, ...drafts, ...bottom].map((draft, i) => ({
    draft,
    block: toBlock(draft, `p${page.pageNumber}-b${i + 1}`, page, tables, figures),
  }));
  return {
    page: {
      page_number: page.pageNumber,
      width: page.width,
      height: page.height,
      ocr: page.ocr,
      ...(page.ocrReason ? { ocr_reason: page.ocrReason } : {}),
      blocks: all.map((b) => b.block),
    },
    tables: all.flatMap(({ draft, block }) => {
      const layout = draft.element?.kind === "table" ? tables[draft.element.index] : undefined;
      return layout ? [structuredTable(layout, block.id, page)] : [];
    }),
    drafts: all,
    bodySize: style.bodySize,
  };
}

function toBlock(draft: DraftBlock, id: string, page: ParsedPage, tables: readonly TableLayout[], figures: readonly FigureLayout[]): Block {
  const block: Block = { id, type: draft.type, text: draft.text, bbox: normalizeBox(draft.box, page) };
  if (draft.level !== undefined) block.level = draft.level;
  const confidence = ocrConfidence(draft.lines); // OCR pages only
  if (confidence !== undefined) block.confidence = confidence;
  const { element } = draft;
  // A text block's lines, which its text joins with spaces (code keeps its breaks in the text).
  const lines = !element && draft.type !== "code" && draft.lines.length > 1 ? blockLines(draft.text, draft.lines, page) : undefined;
  if (lines) block.lines = lines;
  if (element?.kind === "table") {
    const table = tables[element.index];
    // The block's text is the table as markdown: what split and schema read for it.
    if (table) block.text = markdownTable(cellsOf(table, page));
  } else if (element?.kind === "figure") {
    // A figure's text is its labels, in reading order.
    const labels = [...(figures[element.index]?.lines ?? [])].sort((a, b) => a.baseline - b.baseline || a.x0 - b.x0);
    block.text = labels.map((l) => l.text).join(" ");
  }
  return block;
}

/**
 * Where each printed line of a text block sits in its text (which joins them with spaces, a
 * hyphenated word rejoined, a bullet dropped), and its box. Undefined when a line cannot be
 * found where it should be: no lines rather than wrong ones.
 */
function blockLines(text: string, lines: readonly Line[], page: ParsedPage): BlockLine[] | undefined {
  const out: BlockLine[] = [];
  let at = 0;
  for (const line of lines) {
    const printed = normalizeSpaces(line.text).replace(/\u00ad/gu, "");
    if (printed === "") continue;
    const start = at + Math.max(0, text.slice(at).search(/\S/u));
    const forms = [printed, printed.replace(/[-\u2010]$/u, ""), ...(out.length === 0 ? [parseListMarker(printed)?.body ?? ""] : [])];
    const form = forms.find((f) => f !== "" && text.startsWith(f, start));
    if (form === undefined) return undefined;
    out.push({ start, end: start + form.length, bbox: normalizeBox(bounds([line]), page) });
    at = start + form.length;
  }
  return out.length > 1 ? out : undefined;
}

function structuredTable(layout: TableLayout, blockId: string, page: ParsedPage): Table {
  return { block_id: blockId, page_number: page.pageNumber, bbox: normalizeBox(layout.box, page), rows: cellsOf(layout, page) };
}

function cellsOf(layout: TableLayout, page: ParsedPage): Table["rows"] {
  return layout.rows.map((cells) =>
    cells.map((c) => ({ text: c.text, bbox: normalizeBox(c.box, page), row_span: c.rowSpan, col_span: c.colSpan })),
  );
}

/** Furniture lines as blocks: those in the upper half before the content, the rest after it. */
function furnitureDrafts(
  lines: readonly Line[],
  furniture: ReadonlyMap<Line, FurnitureType>,
  height: number,
): [DraftBlock[], DraftBlock[]] {
  const drafts = lines
    .filter((l) => furniture.has(l))
    .sort((a, b) => a.baseline - b.baseline || a.x0 - b.x0)
    .map((l): DraftBlock => ({
      type: furniture.get(l) ?? "header",
      text: l.text,
      box: bounds([l]),
      lines: [l],
      flow: -1,
      firstInFlow: true,
      lastInFlow: true,
    }));
  return [drafts.filter((d) => d.box.y1 < height / 2), drafts.filter((d) => d.box.y1 >= height / 2)];
}
