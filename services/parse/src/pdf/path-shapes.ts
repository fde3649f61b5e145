// A painted pdf.js path → what layout cares about: axis-aligned lines (table rules), filled
// rectangles (shading) or the box of anything else (figures). Pure functions over pdf.js's
// packed path data, so they are unit-testable without a PDF.
import type { RectJson, SegmentJson } from "./page-types.js";
import type { Matrix } from "./text-geometry.js";

/** pdf.js DrawOPS codes in a constructPath's packed Float32Array. */
const MOVE_TO = 0;
const LINE_TO = 1;
const CURVE_TO = 2;
const QUAD_TO = 3;
const CLOSE = 4;

/** What one painted path contributes. */
export interface PathShapes {
  rules: SegmentJson[];
  fills: RectJson[];
  shapes: RectJson[];
}

/** Rectangles thinner than this (pt) are drawn lines: LaTeX and Word draw rules as filled boxes. */
export const MAX_RULE_THICKNESS = 2.5;
/** Shorter lines are glyph-like marks (ticks, bullets), never a table's rule. */
const MIN_RULE_LENGTH = 3;
/** Off-axis wobble (pt) still counted as horizontal or vertical. */
const AXIS_TOLERANCE = 0.5;

interface Point {
  x: number;
  y: number;
}
interface Subpath {
  points: Point[];
  closed: boolean;
  curved: boolean;
}

const round = (v: number): number => Math.round(v * 100) / 100;

/** Splits packed path data into subpaths of page-space points (`m` = viewport × CTM). */
export function subpaths(data: ArrayLike<number>, m: Matrix): Subpath[] {
  const [a = 1, b = 0, c = 0, d = 1, e = 0, f = 0] = m;
  const at = (i: number): Point => {
    const x = data[i] ?? 0;
    const y = data[i + 1] ?? 0;
    return { x: a * x + c * y + e, y: b * x + d * y + f };
  };
  const out: Subpath[] = [];
  let cur: Subpath | undefined;
  for (let i = 0; i < data.length;) {
    const op = data[i];
    if (op === MOVE_TO) {
      cur = { points: [at(i + 1)], closed: false, curved: false };
      out.push(cur);
      i += 3;
    } else if (op === LINE_TO) {
      cur?.points.push(at(i + 1));
      i += 3;
    } else if (op === CURVE_TO || op === QUAD_TO) {
      const n = op === CURVE_TO ? 6 : 4;
      if (cur) {
        cur.curved = true;
        for (let k = 1; k < n; k += 2) cur.points.push(at(i + k));
      }
      i += n + 1;
    } else if (op === CLOSE) {
      if (cur) cur.closed = true;
      i += 1;
    } else {
      break; // unknown code: the rest cannot be decoded reliably
    }
  }
  return out;
}

const isAxis = (p: Point, q: Point): boolean => Math.abs(p.x - q.x) <= AXIS_TOLERANCE || Math.abs(p.y - q.y) <= AXIS_TOLERANCE;

function boxOf(points: readonly Point[]): RectJson {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const p of points) {
    x0 = Math.min(x0, p.x);
    y0 = Math.min(y0, p.y);
    x1 = Math.max(x1, p.x);
    y1 = Math.max(y1, p.y);
  }
  return { x: round(x0), y: round(y0), width: round(x1 - x0), height: round(y1 - y0) };
}

/** A closed (or implicitly closed, when filled) run of 4 axis-aligned edges. */
function isRectangle(s: Subpath): boolean {
  if (s.curved) return false;
  const pts = [...s.points];
  const first = pts[0];
  const last = pts.at(-1);
  if (first && last && pts.length === 5 && Math.hypot(first.x - last.x, first.y - last.y) < AXIS_TOLERANCE) pts.pop();
  if (pts.length !== 4) return false;
  return pts.every((p, i) => isAxis(p, pts[(i + 1) % 4] ?? p));
}

/** A thin box as the line through its middle, along its long side. */
function ruleOfBox(box: RectJson): SegmentJson {
  if (box.width >= box.height) {
    const y = round(box.y + box.height / 2);
    return { x0: box.x, y0: y, x1: round(box.x + box.width), y1: y, width: round(Math.max(box.height, 0.1)) };
  }
  const x = round(box.x + box.width / 2);
  return { x0: x, y0: box.y, x1: x, y1: round(box.y + box.height), width: round(Math.max(box.width, 0.1)) };
}

/** An (almost) axis-aligned edge as an exactly horizontal or vertical segment, left to right / top down. */
function axisSegment(p: Point, q: Point, width: number): SegmentJson {
  if (Math.abs(q.y - p.y) <= Math.abs(q.x - p.x)) {
    const y = round((p.y + q.y) / 2);
    return { x0: round(Math.min(p.x, q.x)), y0: y, x1: round(Math.max(p.x, q.x)), y1: y, width: round(width) };
  }
  const x = round((p.x + q.x) / 2);
  return { x0: x, y0: round(Math.min(p.y, q.y)), x1: x, y1: round(Math.max(p.y, q.y)), width: round(width) };
}

/** The straight edges of a stroked subpath: axis-aligned ones become rules, any other edge makes it a shape. */
function strokeEdges(s: Subpath, lineWidth: number, out: PathShapes): void {
  const pts = s.closed && s.points.length > 2 ? [...s.points, s.points[0] as Point] : s.points;
  let slanted = s.curved;
  for (let i = 1; i < pts.length; i++) {
    const [p, q] = [pts[i - 1] as Point, pts[i] as Point];
    if (s.curved || !isAxis(p, q)) {
      slanted = true;
      continue;
    }
    if (Math.hypot(q.x - p.x, q.y - p.y) >= MIN_RULE_LENGTH) out.rules.push(axisSegment(p, q, lineWidth));
  }
  if (slanted && pts.length > 1) out.shapes.push(boxOf(pts));
}

/**
 * Classifies one painted path. `fill`/`stroke` say how it is painted (both for `B`);
 * `lineWidth` is the stroke width in page points; `visibleFill` is false for white fills,
 * which are page or cell backgrounds rather than something drawn.
 */
export function classifyPath(
  data: ArrayLike<number>,
  m: Matrix,
  paint: { fill: boolean; stroke: boolean; visibleFill: boolean; lineWidth: number },
): PathShapes {
  const out: PathShapes = { rules: [], fills: [], shapes: [] };
  for (const s of subpaths(data, m)) {
    if (s.points.length === 0) continue;
    if (paint.fill && isRectangle(s)) {
      const box = boxOf(s.points);
      const thin = Math.min(box.width, box.height) <= MAX_RULE_THICKNESS;
      if (thin && Math.max(box.width, box.height) >= MIN_RULE_LENGTH && paint.visibleFill) out.rules.push(ruleOfBox(box));
      else if (!thin && paint.visibleFill) out.fills.push(box);
      if (!paint.stroke) continue;
    }
    if (paint.stroke) strokeEdges(s, paint.lineWidth, out);
    else if (paint.fill && paint.visibleFill && s.points.length > 2) out.shapes.push(boxOf(s.points));
  }
  return out;
}

/** A line width in user space → page points (the CTM's average scale). */
export function scaledWidth(width: number, m: Matrix): number {
  const [a = 1, b = 0, c = 0, d = 1] = m;
  return Math.max(width, 0) * Math.sqrt(Math.abs(a * d - b * c));
}
