import type { PageGraphics, TextItem } from "@quire/contracts";
import { findAlignedTables } from "./aligned-tables.js";
import type { AlignedTable } from "./table-types.js";
import { bounds, groupLines, mergeRows, type Line } from "../lines/lines.js";
import { columnGroups, findGutter } from "../layout/reading-order.js";
import { findRuledGrids, type RuledGrid } from "./ruled-grid.js";
import { boxCenter, contains, normalizeRules, type Box, type HRule } from "./rulings.js";
import { joinLines, normalizeSpaces } from "../lines/text.js";

/** A table laid out on its page: cells in page points, and the lines it took from the page. */
export interface TableLayout {
  box: Box;
  /** Row by row; each row holds the cells that start in it. */
  rows: CellLayout[][];
  /** Grid size (spans included). */
  rowCount: number;
  colCount: number;
  lines: Line[];
}

export interface CellLayout {
  text: string;
  box: Box;
  rowSpan: number;
  colSpan: number;
  /** Grid column the cell starts in. */
  col: number;
}

/** Rules bracketing a table reach its edges within this (pt)... */
const RULE_REACH = 12;
/** ...and lie within this distance (pt) above its first and below its last row. */
const RULED_GAP = 24;
/**
 * A ruled grid needs text in this many cells, and in this share of its cells (a merged cell
 * counting once), to be a table rather than a drawing or a frame: a chart's gridlines, a
 * form's boxes and a title block hold a few labels in a grid of mostly empty cells. Its text
 * then stays in the page's flow (or the figure's labels), read like any other.
 */
const MIN_FILLED_CELLS = 2;
const MIN_FILLED_SHARE = 0.5;

/**
 * Finds a page's tables: first those drawn with ruling lines (pdf.js operator list, see
 * parse), then, among the remaining lines, those laid out by alignment alone.
 */
export function findTables(lines: readonly Line[], graphics: PageGraphics | undefined): TableLayout[] {
  const { h, v } = normalizeRules(graphics?.rules ?? []);
  const ruled = findRuledGrids(h, v).flatMap((grid) => ruledTable(grid, lines) ?? []);
  const taken = new Set(ruled.flatMap((t) => t.lines));
  // Full-width tables first; then, in what is left, tables inside each column, which a page
  // of side-by-side columns would otherwise hide (its rows look like one wide table).
  const rest = lines.filter((l) => !taken.has(l));
  const pageWide = findAlignedTables(rest).filter((t) => isPageWide(t, rest, h));
  for (const t of pageWide) for (const l of t.lines) taken.add(l);
  const inColumns = columnGroups(lines.filter((l) => !taken.has(l))).flatMap((group) => findAlignedTables(group));
  const fills = (graphics?.fills ?? []).map((r) => ({ x0: r.x, y0: r.y, x1: r.x + r.width, y1: r.y + r.height }));
  const aligned = [...pageWide, ...inColumns].map((t) => spanByShading(alignedLayout(t), fills));
  return [...ruled, ...aligned];
}

/**
 * A table found across the whole page is one table, not two columns of the page read
 * across, when rules run above and below it (booktabs, Word), or when the page without it
 * has no gutter through it.
 */
function isPageWide(t: AlignedTable, lines: readonly Line[], h: readonly HRule[]): boolean {
  const spans = (r: HRule): boolean => r.x0 <= t.box.x0 + RULE_REACH && r.x1 >= t.box.x1 - RULE_REACH;
  const above = h.some((r) => spans(r) && r.y <= t.box.y0 + 1 && r.y >= t.box.y0 - RULED_GAP);
  const below = h.some((r) => spans(r) && r.y >= t.box.y1 - 1 && r.y <= t.box.y1 + RULED_GAP);
  if (above && below) return true;
  const inTable = new Set(t.lines);
  const gutter = findGutter(lines.filter((l) => !inTable.has(l)));
  return gutter === undefined || gutter <= t.box.x0 || gutter >= t.box.x1;
}

/**
 * Cells of an alignment table, with an empty cell wherever a row leaves a column blank: a
 * structured table must fill its grid, or readers would shift the cells left.
 */
function alignedLayout(t: AlignedTable): TableLayout {
  const colCount = t.columns.length;
  const rows = t.rows.map((cells) => {
    const merged = mergeSameColumn(cells);
    const rowBox = bounds(merged.flatMap((c) => c.lines));
    const out: CellLayout[] = [];
    for (let col = 0; col < colCount;) {
      const cell = merged.find((c) => c.col === col);
      const span = Math.min(cell?.colSpan ?? 1, colCount - col);
      const [x0, x1] = [t.columns[col]?.[0] ?? rowBox.x0, t.columns[col + span - 1]?.[1] ?? rowBox.x1];
      out.push({
        text: cell ? textOf(cell.lines) : "",
        box: cell ? bounds(cell.lines) : { ...rowBox, x0, x1 },
        rowSpan: 1,
        colSpan: span,
        col,
      });
      col += span;
    }
    return out;
  });
  return { box: t.box, rows, rowCount: rows.length, colCount, lines: t.lines };
}

/**
 * A table without rules whose cells are shaded boxes (slides, reports) shows a merged cell as
 * one box over several columns: a cell whose own box (one holding no other cell's text, so
 * not a row's stripe) reaches over the middle of the empty cells after it spans them.
 */
function spanByShading(table: TableLayout, fills: readonly Box[]): TableLayout {
  if (fills.length === 0) return table;
  const texts = table.rows.flat().filter((c) => c.text !== "");
  const rows = table.rows.map((cells) => {
    const out: CellLayout[] = [];
    for (const cell of cells) {
      const prev = out.at(-1);
      const own =
        prev && prev.text !== "" && cell.text === ""
          ? fills.find((f) => contains(f, boxCenter(prev.box), 1) && texts.filter((t) => contains(f, boxCenter(t.box), 1)).length === 1)
          : undefined;
      if (prev && own && own.x1 >= boxCenter(cell.box).x) {
        prev.colSpan += cell.colSpan;
        prev.box = { ...prev.box, x1: Math.max(prev.box.x1, cell.box.x1) };
      } else {
        out.push({ ...cell });
      }
    }
    return out;
  });
  return { ...table, rows };
}

/**
 * Text items of the lines inside the grid, each put in the cell that holds its anchor. Every
 * item of a line the table takes lands in a cell: one that lies outside them all (a row's
 * text running past the border) goes to the nearest.
 */
function ruledTable(grid: RuledGrid, lines: readonly Line[]): TableLayout | undefined {
  const inside = lines.filter((l) => anchors(l, l.rtl).some((p) => contains(grid.box, p, 1)));
  const perCell = grid.cells.map(() => [] as TextItem[]);
  for (const item of inside.flatMap((l) => l.items)) {
    const at = anchors({ x0: item.x, x1: item.x + item.width, y0: item.y, y1: item.y + item.height }, item.dir === "rtl");
    const k = at.map((p) => grid.cells.findIndex((c) => contains(c.box, p))).find((i) => i >= 0);
    perCell[k ?? nearestCell(grid, at[0] ?? boxCenter(grid.box))]?.push(item);
  }
  const cells = grid.cells.map((c, k) => ({ ...c, text: cellText(perCell[k] ?? []) }));
  const filled = cells.filter((c) => c.text !== "").length;
  if (filled < MIN_FILLED_CELLS || filled < MIN_FILLED_SHARE * cells.length) return undefined;
  const rows = Array.from({ length: grid.rows }, (_, r) =>
    cells.filter((c) => c.row === r).map((c) => ({ text: c.text, box: c.box, rowSpan: c.rowSpan, colSpan: c.colSpan, col: c.col })),
  );
  return { box: grid.box, rows, rowCount: grid.rows, colCount: grid.cols, lines: inside };
}

/**
 * Where text sits in a grid: its centre, and else, for text that overflows its cell
 * (spreadsheets print a long cell over the border), a point just inside where it starts (the
 * left edge, or the right one for right-to-left text, half a line height in): text belongs
 * to the cell it starts in.
 */
function anchors(b: Box, rtl: boolean): { x: number; y: number }[] {
  const center = boxCenter(b);
  const inset = Math.min((b.y1 - b.y0) / 2, (b.x1 - b.x0) / 2);
  return [center, { x: rtl ? b.x1 - inset : b.x0 + inset, y: center.y }];
}

function nearestCell(grid: RuledGrid, p: { x: number; y: number }): number {
  const distance = (b: Box): number => Math.hypot(Math.max(b.x0 - p.x, 0, p.x - b.x1), Math.max(b.y0 - p.y, 0, p.y - b.y1));
  let best = 0;
  grid.cells.forEach((c, k) => {
    if (distance(c.box) < distance(grid.cells[best]?.box ?? c.box)) best = k;
  });
  return best;
}

/** A cell's items → its lines, top to bottom, joined like a paragraph's. */
function cellText(items: readonly TextItem[]): string {
  if (items.length === 0) return "";
  return textOf(mergeRows(groupLines(items)));
}

function textOf(lines: readonly Line[]): string {
  const sorted = [...lines].sort((a, b) => a.baseline - b.baseline || a.x0 - b.x0);
  return normalizeSpaces(sorted.reduce((acc, l) => joinLines(acc, l.text), ""));
}

/** Segments of one row that fall in the same column are one cell. */
function mergeSameColumn<T extends { lines: Line[]; col: number; colSpan: number }>(cells: readonly T[]): T[] {
  const out: T[] = [];
  for (const cell of cells) {
    const same = out.find((c) => c.col === cell.col);
    if (same) {
      same.lines = [...same.lines, ...cell.lines];
      same.colSpan = Math.max(same.colSpan, cell.colSpan);
    } else {
      out.push({ ...cell, lines: [...cell.lines] });
    }
  }
  return out;
}
