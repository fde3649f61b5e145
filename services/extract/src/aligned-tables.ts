import { bounds, type Line } from "./lines.js";
import { parseListMarker } from "./list-items.js";
import type { Box } from "./rulings.js";
import { sameSize } from "./styles.js";
import { joinWrappedRows } from "./wrapped-rows.js";

/** A table found from text alignment alone: rows of cells, each cell the lines it holds. */
export interface AlignedTable {
  box: Box;
  rows: AlignedCell[][];
  /** Column extents [x0, x1], left to right. */
  columns: [number, number][];
  lines: Line[];
}

export interface AlignedCell {
  lines: Line[];
  col: number;
  colSpan: number;
}

/** Rows further apart than this many line heights are not one table. */
const MAX_ROW_GAP = 2.2;
/** Fewest rows with two or more cells... */
const MIN_MULTI_ROWS = 3;
/** ...or two, when the table has at least this many columns. */
const MIN_COLS_FOR_TWO_ROWS = 3;
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
/** Edges within this distance (pt) are aligned. */
const ALIGN_TOLERANCE = 3;
/** A gap between columns is at least this wide (pt): narrower is a word space. */
const MIN_GUTTER = 4;

type Row = Line[];

/**
 * Finds tables laid out with whitespace only: runs of consecutive rows that each split into
 * several segments (lines.ts cuts rows at gaps wider than a word space), where the segments
 * line up into columns with empty vertical channels between them. Prose in columns, lists
 * with hanging indents and code are not tables.
 */
export function findAlignedTables(lines: readonly Line[]): AlignedTable[] {
  const rows = groupRows(lines.filter((l) => !l.vertical && !l.monospace && l.text.trim() !== ""));
  const tables: AlignedTable[] = [];
  for (const run of candidateRuns(rows)) {
    const table = tableOf(run);
    if (table) tables.push(table);
  }
  return tables;
}

function groupRows(lines: readonly Line[]): Row[] {
  const rows: Row[] = [];
  for (const line of [...lines].sort((a, b) => a.baseline - b.baseline || a.x0 - b.x0)) {
    const row = rows.at(-1);
    const anchor = row?.[0];
    if (row && anchor && Math.abs(line.baseline - anchor.baseline) <= 0.5 * Math.max(anchor.fontSize, line.fontSize)) row.push(line);
    else rows.push([line]);
  }
  return rows.map((r) => r.sort((a, b) => a.x0 - b.x0));
}

const sizeOf = (row: Row): number => Math.max(...row.map((l) => l.fontSize));
const height = (row: Row): number => Math.max(...row.map((l) => l.y1 - l.y0));
const top = (row: Row): number => Math.min(...row.map((l) => l.y0));
const bottom = (row: Row): number => Math.max(...row.map((l) => l.y1));

/** Maximal runs of close rows that start and end with a multi-segment row. */
function candidateRuns(rows: readonly Row[]): Row[][] {
  const runs: Row[][] = [];
  let run: Row[] = [];
  const flush = (): void => {
    while (run.length > 0 && (run.at(-1)?.length ?? 0) < 2) run.pop();
    if (run.length > 0) runs.push(run);
    run = [];
  };
  for (const row of rows) {
    const prev = run.at(-1);
    // A lone line in another size between rows is a heading: the table before it has ended.
    const sameKind = prev !== undefined && (row.length >= 2 || sameSize(sizeOf(row), sizeOf(prev)));
    const close = sameKind && prev !== undefined && top(row) - bottom(prev) <= MAX_ROW_GAP * Math.max(height(prev), height(row));
    if (!close) flush();
    if (run.length > 0 || row.length >= 2) run.push(row);
  }
  flush();
  return runs;
}

/** Columns from the rows with the most segments; other rows map onto them (cells may span). */
function tableOf(run: readonly Row[]): AlignedTable | undefined {
  const columns = columnsOf(run);
  if (columns.length < 2) return undefined;
  const rows: AlignedCell[][] = [];
  for (const [i, row] of run.entries()) {
    const cells = row.map((l) => cellOf(l, columns));
    const crossing = cells.length === 1 && (cells[0]?.colSpan ?? 1) > 1;
    // A full-width line at either end is a caption or a title, not a row.
    if (crossing && (i === 0 || i === run.length - 1)) continue;
    rows.push(cells);
  }
  const kept = rows.flatMap((cells) => cells.flatMap((c) => c.lines));
  const multi = rows.filter((cells) => cells.length >= 2).length;
  if (multi < MIN_MULTI_ROWS && !(multi >= 2 && columns.length >= MIN_COLS_FOR_TWO_ROWS)) return undefined;
  // Line by line: edges and baselines. Row by row (wrapped cell lines joined): content and fill.
  if (!columnsAligned(rows, columns.length) || !typesetTogether(rows)) return undefined;
  const joined = joinWrappedRows(rows);
  if (!looksTabular(joined, columns.length) || !wellFilled(joined, columns.length)) return undefined;
  return { box: bounds(kept), rows: joined, columns, lines: kept };
}

/**
 * Column extents. When most multi-segment rows have the same number of segments k, the
 * i-th segments of those rows make column i (so a left-aligned header over right-aligned
 * numbers is still one column). Otherwise, or when those columns overlap, each maximal
 * interval covered by segments of the fuller rows is a column.
 */
function columnsOf(run: readonly Row[]): [number, number][] {
  const counts = new Map<number, number>();
  for (const r of run) if (r.length >= 2) counts.set(r.length, (counts.get(r.length) ?? 0) + 1);
  const [k = 2] = [...counts].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0] ?? [];
  const modal = run.filter((r) => r.length === k);
  const byPosition = Array.from({ length: k }, (_, i): [number, number] =>
    [Math.min(...modal.map((r) => r[i]?.x0 ?? Infinity)), Math.max(...modal.map((r) => r[i]?.x1 ?? -Infinity))]);
  if (byPosition.every(([a], i) => i === 0 || a > (byPosition[i - 1]?.[1] ?? Infinity) - 1)) return byPosition;
  return unionColumns(run.filter((r) => r.length >= k));
}

function unionColumns(rows: readonly Row[]): [number, number][] {
  const spans = rows.flatMap((r) => r.map((l) => [l.x0, l.x1] as [number, number])).sort((a, b) => a[0] - b[0]);
  const columns: [number, number][] = [];
  for (const [a, b] of spans) {
    const last = columns.at(-1);
    if (last && a < last[1] + MIN_GUTTER) last[1] = Math.max(last[1], b);
    else columns.push([a, b]);
  }
  return columns;
}

/** The columns a segment overlaps: its first one and how many. */
function cellOf(line: Line, columns: readonly [number, number][]): AlignedCell {
  const hit = columns.map(([a, b], i) => ({ i, overlap: Math.min(b, line.x1) - Math.max(a, line.x0) })).filter((c) => c.overlap > 0);
  const first = hit[0]?.i ?? nearestColumn(line, columns);
  return { lines: [line], col: first, colSpan: Math.max(1, hit.length) };
}

function nearestColumn(line: Line, columns: readonly [number, number][]): number {
  const mid = (line.x0 + line.x1) / 2;
  let best = 0;
  columns.forEach(([a, b], i) => {
    const [ba, bb] = columns[best] ?? [a, b];
    if (Math.abs((a + b) / 2 - mid) < Math.abs((ba + bb) / 2 - mid)) best = i;
  });
  return best;
}

/**
 * The cells of a table row are set on one baseline. Columns of unrelated text that happen to
 * sit side by side drift a point or two apart from row to row.
 */
function typesetTogether(rows: readonly AlignedCell[][]): boolean {
  const spreads = rows.filter((cells) => cells.length >= 2).map((cells) => {
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
function columnsAligned(rows: readonly AlignedCell[][], cols: number): boolean {
  const perColumn = Array.from({ length: cols }, () => [] as Line[]);
  for (const cells of rows) for (const c of cells) if (c.colSpan === 1) perColumn[c.col]?.push(...c.lines);
  const shares = perColumn.filter((ls) => ls.length >= 3).map((ls) => Math.max(
    modeShare(ls.map((l) => l.x0)), modeShare(ls.map((l) => l.x1)), modeShare(ls.map((l) => (l.x0 + l.x1) / 2)),
  ));
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
function wellFilled(rows: readonly AlignedCell[][], cols: number): boolean {
  const filled = rows.map((cells) => cells.reduce((n, c) => n + c.colSpan, 0) / cols);
  const full = rows.filter((cells) => cells.length >= 2).length;
  return full >= MIN_FULL_ROW_SHARE * rows.length && filled.reduce((a, b) => a + b, 0) / rows.length >= MIN_FILL;
}

/** Short cells, at most one prose-like column, and not a list (markers in the first column). */
function looksTabular(rows: readonly AlignedCell[][], cols: number): boolean {
  const wordsPerColumn = Array.from({ length: cols }, () => ({ words: 0, cells: 0 }));
  let firstColMarkers = 0;
  let firstColCells = 0;
  for (const cells of rows) {
    for (const cell of cells) {
      const text = cell.lines.map((l) => l.text).join(" ");
      const stat = wordsPerColumn[cell.col];
      if (stat) {
        stat.words += text.split(/\s+/u).filter(Boolean).length;
        stat.cells += 1;
      }
      if (cell.col === 0) {
        firstColCells++;
        if (parseListMarker(`${text} x`)?.body === "x") firstColMarkers++;
      }
    }
  }
  if (firstColCells > 0 && firstColMarkers >= 0.5 * firstColCells) return false;
  const used = wordsPerColumn.filter((s) => s.cells > 0);
  const means = used.map((s) => s.words / s.cells);
  // The wordiest column may hold descriptions; the others must read like cells.
  const others = used.filter((_, i) => i !== means.indexOf(Math.max(...means)));
  const total = others.reduce((n, s) => n + s.words, 0) / Math.max(1, others.reduce((n, s) => n + s.cells, 0));
  return total <= MAX_MEAN_WORDS && means.filter((m) => m >= MAX_PROSE_COLUMN_WORDS).length <= 1;
}
