import type { AlignedCell } from "./table-types.js";
import type { Line } from "../lines/lines.js";
import { parseListMarker } from "../layout/list-items.js";

// The tests that tell a table laid out with whitespace from other text set in columns. Each
// takes the candidate's rows (cells with their lines) and its number of columns.

/** Table cells are short: more words than this per cell on average is prose set in columns. */
const MAX_MEAN_WORDS = 5;
/** One column may hold descriptions; a cell in any other averages fewer words than this. */
const MAX_PROSE_COLUMN_WORDS = 6;
/** At least this share of a table's rows have two or more cells... */
const MIN_FULL_ROW_SHARE = 0.5;
/** ...and on average a row fills this share of the columns. */
const MIN_FILL = 0.6;
/** Every column has this share of its segments on one edge or centre, and on average this share. */
const MIN_COLUMN_ALIGNMENT = 0.5;
const MIN_MEAN_ALIGNMENT = 0.65;
/** Baselines within this distance (pt) are one; this share of a table's rows keep to one. */
const SAME_BASELINE = 0.75;
const MIN_SAME_BASELINE_SHARE = 0.7;
/** Lists side by side: every column holds this many items led by a list marker, and this share of its cells. */
const MIN_LIST_ITEMS = 2;
const MIN_LIST_SHARE = 0.5;
/** A row of a text box wraps into the next only when it holds this many characters. */
const MIN_WRAPPED_CHARS = 15;
/** Edges within this distance (pt) are aligned. */
const ALIGN_TOLERANCE = 3;

/**
 * The cells of a table row are set on one baseline. Columns of unrelated text that happen to
 * sit side by side drift a point or two apart from row to row.
 */
export function typesetTogether(rows: readonly AlignedCell[][]): boolean {
  const spreads = rows
    .filter((cells) => cells.length >= 2)
    .map((cells) => {
      const baselines = cells.flatMap((c) => c.lines.map((l) => l.baseline));
      return Math.max(...baselines) - Math.min(...baselines);
    });
  return spreads.filter((d) => d <= SAME_BASELINE).length >= MIN_SAME_BASELINE_SHARE * spreads.length;
}

/**
 * The segments of each column share an edge or a centre: left-aligned text, right-aligned
 * numbers, centred headers. Blocks of unrelated text side by side (indented names, section
 * titles, wrapped signatures) start and end all over the place.
 */
export function columnsAligned(rows: readonly AlignedCell[][], cols: number): boolean {
  const perColumn = Array.from({ length: cols }, () => [] as Line[]);
  for (const cells of rows) for (const c of cells) if (c.colSpan === 1) perColumn[c.col]?.push(...c.lines);
  const shares = perColumn
    .filter((ls) => ls.length >= 3)
    .map((ls) => Math.max(modeShare(ls.map((l) => l.x0)), modeShare(ls.map((l) => l.x1)), modeShare(ls.map((l) => (l.x0 + l.x1) / 2))));
  if (shares.length === 0) return true;
  return Math.min(...shares) >= MIN_COLUMN_ALIGNMENT && shares.reduce((a, b) => a + b, 0) / shares.length >= MIN_MEAN_ALIGNMENT;
}

/** Share of the values within ALIGN_TOLERANCE of the most popular one. */
function modeShare(values: readonly number[]): number {
  let best = 0;
  for (const v of values) best = Math.max(best, values.filter((w) => Math.abs(w - v) <= ALIGN_TOLERANCE).length);
  return best / values.length;
}

/**
 * Most rows of a table fill most of its columns. Side-by-side columns of separate content
 * (a reference card's two halves) leave one side blank on many rows.
 */
export function wellFilled(rows: readonly AlignedCell[][], cols: number): boolean {
  const filled = rows.map((cells) => cells.reduce((n, c) => n + c.colSpan, 0) / cols);
  const full = rows.filter((cells) => cells.length >= 2).length;
  return full >= MIN_FULL_ROW_SHARE * rows.length && filled.reduce((a, b) => a + b, 0) / rows.length >= MIN_FILL;
}

/**
 * Short cells, at most one prose-like column, and not a list: not bare markers in the first
 * column (a list's bullets set apart from its items), and not items led by a marker in every
 * column (lists side by side on a slide, their items on shared baselines).
 */
export function looksTabular(rows: readonly AlignedCell[][], cols: number): boolean {
  const wordsPerColumn = Array.from({ length: cols }, () => ({ words: 0, cells: 0, items: 0 }));
  let firstColMarkers = 0;
  let firstColCells = 0;
  for (const cells of rows) {
    for (const cell of cells) {
      const text = cell.lines.map((l) => l.text).join(" ");
      const stat = wordsPerColumn[cell.col];
      if (stat) {
        stat.words += text.split(/\s+/u).filter(Boolean).length;
        stat.cells += 1;
        if (cell.colSpan === 1 && (parseListMarker(text)?.body ?? "") !== "") stat.items += 1;
      }
      if (cell.col === 0) {
        firstColCells++;
        if (parseListMarker(`${text} x`)?.body === "x") firstColMarkers++;
      }
    }
  }
  if (firstColCells > 0 && firstColMarkers >= 0.5 * firstColCells) return false;
  const used = wordsPerColumn.filter((s) => s.cells > 0);
  if (used.length >= 2 && used.every((s) => s.items >= MIN_LIST_ITEMS && s.items >= MIN_LIST_SHARE * s.cells)) return false;
  const means = used.map((s) => s.words / s.cells);
  // The wordiest column may hold descriptions; the others must read like cells.
  const others = used.filter((_, i) => i !== means.indexOf(Math.max(...means)));
  const total =
    others.reduce((n, s) => n + s.words, 0) /
    Math.max(
      1,
      others.reduce((n, s) => n + s.cells, 0),
    );
  return total <= MAX_MEAN_WORDS && means.filter((m) => m >= MAX_PROSE_COLUMN_WORDS).length <= 1;
}

/**
 * Text boxes side by side, not a table: in every column, each row under the first (a box's
 * title may head it) continues the row above as wrapped running text. The row above is long
 * (MIN_WRAPPED_CHARS or more), set close above, and the row's first word would not have
 * fitted after it within the column. Table rows each start anew, and do not read on.
 */
export function wrappedInEveryColumn(rows: readonly AlignedCell[][], columns: readonly [number, number][]): boolean {
  if (rows.length < 3) return false;
  return columns.every((_, col) => {
    const cells = rows.slice(1).map((cells) => cells.find((c) => c.col === col && c.colSpan === 1));
    if (cells.length < 2 || cells.some((c) => c === undefined)) return false;
    const right = Math.max(...cells.flatMap((c) => c?.lines.map((l) => l.x1) ?? []));
    return cells.every((cell, i) => {
      const above = cells[i - 1]?.lines.at(-1);
      const first = cell?.lines[0];
      if (i === 0) return true;
      if (!above || !first || above.chars < MIN_WRAPPED_CHARS || /[:：]\s*$/u.test(above.text)) return false;
      if (first.y0 - above.y1 > first.fontSize) return false;
      const word = first.text.trim().split(/\s+/u)[0] ?? "";
      const charWidth = (first.x1 - first.x0) / Math.max(1, first.text.length);
      return above.x1 + charWidth * (word.length + 1) > right;
    });
  });
}
