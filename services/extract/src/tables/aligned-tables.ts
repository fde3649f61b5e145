import { bounds, type Line } from "../lines/lines.js";
import { sameSize } from "../lines/styles.js";
import { columnsAligned, looksTabular, typesetTogether, wellFilled, wrappedInEveryColumn } from "./table-checks.js";
import type { AlignedCell, AlignedTable } from "./table-types.js";
import { joinWrappedRows } from "./wrapped-rows.js";

/** Rows further apart than this many line heights are not one table. */
const MAX_ROW_GAP = 2.2;
/** Fewest rows with two or more cells... */
const MIN_MULTI_ROWS = 3;
/** ...or two, when the table has at least this many columns. */
const MIN_COLS_FOR_TWO_ROWS = 3;
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
    while (run.length > 0 && (run.at(-1)?.length ?? 0) < 2 && !isWrappedTail(run)) run.pop();
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

/**
 * The run's last row is one segment right of the first column, set close under the row
 * above: the wrapped last line of a cell, not text after the table.
 */
function isWrappedTail(run: readonly Row[]): boolean {
  const [last, prev] = [run.at(-1), run.at(-2)];
  const left = Math.min(...run.map((r) => r[0]?.x0 ?? Infinity));
  if (!last || !prev || last.length !== 1 || (last[0]?.x0 ?? left) <= left + MIN_GUTTER) return false;
  return top(last) - bottom(prev) < 0.5 * height(last) && prev.length >= 2;
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
  if (!looksTabular(joined, columns.length) || !wellFilled(joined, columns.length) || wrappedInEveryColumn(joined, columns))
    return undefined;
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
  const byPosition = Array.from({ length: k }, (_, i): [number, number] => [
    Math.min(...modal.map((r) => r[i]?.x0 ?? Infinity)),
    Math.max(...modal.map((r) => r[i]?.x1 ?? -Infinity)),
  ]);
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
