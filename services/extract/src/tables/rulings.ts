import type { Segment } from "@quire/contracts";

/** A box in page points from the top-left. */
export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** A horizontal rule at height `y` from `x0` to `x1`... */
export interface HRule {
  y: number;
  x0: number;
  x1: number;
}

/** ...and a vertical one at `x` from `y0` down to `y1`. */
export interface VRule {
  x: number;
  y0: number;
  y1: number;
}

/** Rules closer than this (pt) across their length are one line drawn twice or in pieces. */
export const SNAP = 1.5;
/** Pieces of one line may leave gaps this wide (pt) where cell borders meet. */
const JOIN_GAP = 2.5;

/**
 * Splits segments into horizontal and vertical rules and joins the pieces producers draw
 * one cell border at a time, so each table line becomes one rule.
 */
export function normalizeRules(segments: readonly Segment[]): { h: HRule[]; v: VRule[] } {
  const h: HRule[] = [];
  const v: VRule[] = [];
  for (const s of segments) {
    if (![s.x0, s.y0, s.x1, s.y1].every(Number.isFinite)) continue;
    if (Math.abs(s.y1 - s.y0) <= Math.abs(s.x1 - s.x0))
      h.push({ y: (s.y0 + s.y1) / 2, x0: Math.min(s.x0, s.x1), x1: Math.max(s.x0, s.x1) });
    else v.push({ x: (s.x0 + s.x1) / 2, y0: Math.min(s.y0, s.y1), y1: Math.max(s.y0, s.y1) });
  }
  const hs = joinCollinear(h.map((r) => ({ at: r.y, from: r.x0, to: r.x1 })));
  const vs = joinCollinear(v.map((r) => ({ at: r.x, from: r.y0, to: r.y1 })));
  return { h: hs.map((r) => ({ y: r.at, x0: r.from, x1: r.to })), v: vs.map((r) => ({ x: r.at, y0: r.from, y1: r.to })) };
}

interface Span {
  at: number;
  from: number;
  to: number;
}

/** Joins spans on (nearly) the same line that touch or overlap. */
function joinCollinear(spans: Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.at - b.at || a.from - b.from);
  const out: Span[] = [];
  for (const s of sorted) {
    const match = findJoinable(out, s);
    if (match) {
      match.from = Math.min(match.from, s.from);
      match.to = Math.max(match.to, s.to);
    } else {
      out.push({ ...s });
    }
  }
  return out;
}

/** The latest span on the same line that `s` touches (spans arrive sorted by line, then start). */
function findJoinable(out: readonly Span[], s: Span): Span | undefined {
  for (let i = out.length - 1; i >= 0; i--) {
    const o = out[i];
    if (!o || s.at - o.at > SNAP) return undefined;
    if (s.from <= o.to + JOIN_GAP && s.to >= o.from - JOIN_GAP) return o;
  }
  return undefined;
}

/** Values closer than `tolerance` collapse to their mean: the grid lines of a table. */
export function clusterValues(values: readonly number[], tolerance: number): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const out: number[][] = [];
  for (const v of sorted) {
    const group = out.at(-1);
    const last = group?.at(-1);
    if (group && last !== undefined && v - last <= tolerance) group.push(v);
    else out.push([v]);
  }
  return out.map((g) => g.reduce((a, b) => a + b, 0) / g.length);
}

/** Length of [from, to] covered by the given intervals (which may overlap). */
export function coveredLength(from: number, to: number, intervals: readonly (readonly [number, number])[]): number {
  const clipped = intervals
    .map(([a, b]) => [Math.max(a, from), Math.min(b, to)] as const)
    .filter(([a, b]) => b > a)
    .sort((p, q) => p[0] - q[0]);
  let total = 0;
  let reach = from;
  for (const [a, b] of clipped) {
    if (b <= reach) continue;
    total += b - Math.max(a, reach);
    reach = b;
  }
  return total;
}

export const boxCenter = (b: Box): { x: number; y: number } => ({ x: (b.x0 + b.x1) / 2, y: (b.y0 + b.y1) / 2 });
export const contains = (b: Box, p: { x: number; y: number }, pad = 0): boolean =>
  p.x >= b.x0 - pad && p.x <= b.x1 + pad && p.y >= b.y0 - pad && p.y <= b.y1 + pad;
