import { UnionFind } from "./union-find.js";
import { clusterValues, coveredLength, SNAP, type Box, type HRule, type VRule } from "./rulings.js";

/** A cell of a ruled grid: its top-left grid position, spans and box in page points. */
export interface GridCell {
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
  box: Box;
}

export interface RuledGrid {
  box: Box;
  /** Cells in row-major order of their top-left position. */
  cells: GridCell[];
  rows: number;
  cols: number;
}

/** Rules meeting within this distance (pt) are joined: borders rarely meet exactly. */
const TOUCH = 2.5;
/** Grid lines closer than this (pt) are one line (double rules, rounding). */
const MIN_PITCH = 4;
/** A boundary drawn along this share of a cell's side separates it from its neighbour. */
const MIN_COVER = 0.6;

/**
 * Finds the tables drawn with ruling lines: connected sets of horizontal and vertical rules
 * that make a grid of at least 2 × 2 cells. A missing stretch of a boundary merges the two
 * cells beside it, which is how spanning cells are drawn.
 */
export function findRuledGrids(h: readonly HRule[], v: readonly VRule[]): RuledGrid[] {
  return connectedSets(h, v).flatMap(({ hs, vs }) => {
    const grid = gridOf(hs, vs);
    return grid && grid.rows >= 2 && grid.cols >= 2 ? [grid] : [];
  });
}

const touches = (a: HRule, b: VRule): boolean => b.x >= a.x0 - TOUCH && b.x <= a.x1 + TOUCH && a.y >= b.y0 - TOUCH && a.y <= b.y1 + TOUCH;

/** Groups rules that cross or meet into connected sets (union-find over h × v pairs). */
function connectedSets(h: readonly HRule[], v: readonly VRule[]): { hs: HRule[]; vs: VRule[] }[] {
  const uf = new UnionFind(h.length + v.length);
  h.forEach((a, i) =>
    v.forEach((b, j) => {
      if (touches(a, b)) uf.union(i, h.length + j);
    }),
  );
  const sets = new Map<number, { hs: HRule[]; vs: VRule[] }>();
  const setOf = (i: number): { hs: HRule[]; vs: VRule[] } => {
    const root = uf.find(i);
    const set = sets.get(root) ?? { hs: [], vs: [] };
    sets.set(root, set);
    return set;
  };
  h.forEach((a, i) => setOf(i).hs.push(a));
  v.forEach((b, j) => setOf(h.length + j).vs.push(b));
  return [...sets.values()].filter((s) => s.hs.length > 0 && s.vs.length > 0);
}

/** The grid a connected set of rules draws, or undefined when it is not a grid at all. */
function gridOf(hs: readonly HRule[], vs: readonly VRule[]): RuledGrid | undefined {
  const box = {
    x0: Math.min(...hs.map((r) => r.x0), ...vs.map((r) => r.x)),
    x1: Math.max(...hs.map((r) => r.x1), ...vs.map((r) => r.x)),
    y0: Math.min(...vs.map((r) => r.y0), ...hs.map((r) => r.y)),
    y1: Math.max(...vs.map((r) => r.y1), ...hs.map((r) => r.y)),
  };
  // The box's edges are grid lines even where the frame is not drawn (open-sided tables).
  const xs = clusterValues([box.x0, box.x1, ...vs.map((r) => r.x)], MIN_PITCH);
  const ys = clusterValues([box.y0, box.y1, ...hs.map((r) => r.y)], MIN_PITCH);
  const rows = ys.length - 1;
  const cols = xs.length - 1;
  if (rows < 1 || cols < 1) return undefined;
  const vCover = (x: number, y0: number, y1: number) =>
    covers(
      vs.filter((r) => Math.abs(r.x - x) <= SNAP + 1).map((r) => [r.y0, r.y1] as const),
      y0,
      y1,
    );
  const hCover = (y: number, x0: number, x1: number) =>
    covers(
      hs.filter((r) => Math.abs(r.y - y) <= SNAP + 1).map((r) => [r.x0, r.x1] as const),
      x0,
      x1,
    );
  const uf = new UnionFind(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const [x0, x1, y0, y1] = [xs[c] ?? 0, xs[c + 1] ?? 0, ys[r] ?? 0, ys[r + 1] ?? 0];
      if (c + 1 < cols && !vCover(x1, y0, y1)) uf.union(r * cols + c, r * cols + c + 1);
      if (r + 1 < rows && !hCover(y1, x0, x1)) uf.union(r * cols + c, (r + 1) * cols + c);
    }
  }
  return { box, rows, cols, cells: cellsOf(uf, rows, cols, xs, ys) };
}

function covers(intervals: readonly (readonly [number, number])[], from: number, to: number): boolean {
  return coveredLength(from, to, intervals) >= MIN_COVER * (to - from);
}

/** Merged grid positions → cells, each at the top-left of the rectangle its group covers. */
function cellsOf(uf: UnionFind, rows: number, cols: number, xs: readonly number[], ys: readonly number[]): GridCell[] {
  const groups = new Map<number, { r0: number; r1: number; c0: number; c1: number }>();
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const root = uf.find(r * cols + c);
      const g = groups.get(root);
      if (!g) groups.set(root, { r0: r, r1: r, c0: c, c1: c });
      else Object.assign(g, { r0: Math.min(g.r0, r), r1: Math.max(g.r1, r), c0: Math.min(g.c0, c), c1: Math.max(g.c1, c) });
    }
  }
  return [...groups.values()]
    .map((g) => ({
      row: g.r0,
      col: g.c0,
      rowSpan: g.r1 - g.r0 + 1,
      colSpan: g.c1 - g.c0 + 1,
      box: { x0: xs[g.c0] ?? 0, x1: xs[g.c1 + 1] ?? 0, y0: ys[g.r0] ?? 0, y1: ys[g.r1 + 1] ?? 0 },
    }))
    .sort((a, b) => a.row - b.row || a.col - b.col);
}
