import type { AlignedCell } from "./table-types.js";

/** A row this much closer to the one above than the table's usual row pitch is a wrapped line. */
const WRAP_PITCH_SHARE = 0.85;

const baselineOf = (cells: readonly AlignedCell[]): number => Math.max(...cells.flatMap((c) => c.lines.map((l) => l.baseline)));

/**
 * Joins the wrapped lines of multi-line cells into the row they belong to. A physical row
 * is a continuation when its first column is empty, every cell it has sits under a cell of
 * the row above, and it follows that row more closely than rows usually follow each other
 * (rows are set further apart than the lines inside a cell; when they are not, nothing
 * tells a wrapped line from a row with an empty first cell, and rows are left as they are).
 */
export function joinWrappedRows(rows: readonly AlignedCell[][]): AlignedCell[][] {
  const pitches: number[] = [];
  for (let i = 1; i < rows.length; i++) {
    const [above, row] = [rows[i - 1], rows[i]];
    if (above && row && row.some((c) => c.col === 0)) pitches.push(baselineOf(row) - baselineOf(above));
  }
  const usual = pitches.sort((a, b) => a - b)[Math.floor(pitches.length / 2)];
  if (usual === undefined) return rows.map((r) => [...r]);
  const out: AlignedCell[][] = [];
  for (const row of rows) {
    const above = out.at(-1);
    if (above && isContinuation(row, above, usual)) appendTo(above, row);
    else out.push(row.map((c) => ({ ...c, lines: [...c.lines] })));
  }
  return out;
}

function isContinuation(row: readonly AlignedCell[], above: readonly AlignedCell[], usual: number): boolean {
  if (row.some((c) => c.col === 0)) return false;
  if (!row.every((c) => above.some((a) => a.col === c.col))) return false;
  return baselineOf(row) - baselineOf(above) < WRAP_PITCH_SHARE * usual;
}

function appendTo(above: AlignedCell[], row: readonly AlignedCell[]): void {
  for (const cell of row) {
    const target = above.find((a) => a.col === cell.col);
    if (target) target.lines = [...target.lines, ...cell.lines];
  }
}
