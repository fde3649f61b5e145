// The shapes of a table found from text alignment (aligned-tables.ts), in a module of their
// own so that the checks and the row joining it calls can name them without importing it back.
import type { Line } from "../lines/lines.js";
import type { Box } from "./rulings.js";

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
