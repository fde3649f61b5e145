// Walks a page's pdf.js operator list (already fetched for font names) and keeps what layout
// needs of its graphics: table rules, shaded boxes, image placements, other drawn shapes.
// Pure: pdf.js's OPS table is passed in, so tests can feed hand-made operator lists.
import type { GraphicsJson } from "./page-types.js";
import { classifyPath, scaledWidth } from "./path-shapes.js";
import { multiply, type Matrix } from "./text-geometry.js";

export interface OperatorList {
  fnArray: ArrayLike<number>;
  argsArray: readonly unknown[];
}

/** pdf.js's `OPS` name → code table. */
export type OpCodes = Readonly<Record<string, number>>;

/**
 * Per-page caps: a map or a chart can draw 10⁵ paths, and the artifact must stay small.
 * Tables need far fewer rules than this; figures are found from a handful of shapes.
 */
export const GRAPHICS_LIMITS = { rules: 4000, fills: 1000, images: 200, shapes: 1000 } as const;
/** Image placements smaller than this (pt) are icons or spacers, not figures. */
const MIN_IMAGE_SIDE = 4;

interface GState {
  ctm: number[];
  lineWidth: number;
  /** The current fill/stroke colour is white or transparent: painting with it shows nothing on white paper. */
  fillHidden: boolean;
  strokeHidden: boolean;
}

const FILLS = ["fill", "eoFill", "fillStroke", "eoFillStroke", "closeFillStroke", "closeEOFillStroke"];
const STROKES = ["stroke", "closeStroke", "fillStroke", "eoFillStroke", "closeFillStroke", "closeEOFillStroke"];
const IMAGES = ["paintImageXObject", "paintInlineImageXObject", "paintImageMaskXObject", "paintImageXObjectRepeat"];

/** Collects the page's graphics in page points from the top-left (`viewport` = pdf.js viewport.transform). */
export function collectGraphics(list: OperatorList, viewport: Matrix, OPS: OpCodes): GraphicsJson {
  const out: GraphicsJson = { rules: [], fills: [], images: [], shapes: [], truncated: false };
  const code = (names: readonly string[]): Set<number> => new Set(names.map((n) => OPS[n]).filter((c) => c !== undefined));
  const [fills, strokes, images] = [code(FILLS), code(STROKES), code(IMAGES)];
  const stack: GState[] = [];
  let state: GState = { ctm: [1, 0, 0, 1, 0, 0], lineWidth: 1, fillHidden: false, strokeHidden: false };
  const add = <K extends "rules" | "fills" | "images" | "shapes">(kind: K, items: GraphicsJson[K]): void => {
    const room = GRAPHICS_LIMITS[kind] - out[kind].length;
    if (items.length > room) out.truncated = true;
    (out[kind] as unknown[]).push(...items.slice(0, Math.max(room, 0)));
  };
  const n = list.fnArray.length;
  for (let i = 0; i < n; i++) {
    const fn = list.fnArray[i];
    const args = (list.argsArray[i] ?? []) as unknown[];
    if (fn === OPS.save || fn === OPS.paintFormXObjectBegin) {
      stack.push(state);
      state = { ...state };
      if (fn === OPS.paintFormXObjectBegin && isMatrix(args[0])) state.ctm = multiply(state.ctm, args[0]);
    } else if (fn === OPS.restore || fn === OPS.paintFormXObjectEnd) {
      state = stack.pop() ?? state;
    } else if (fn === OPS.transform && isMatrix(args)) {
      state.ctm = multiply(state.ctm, args);
      // `q <matrix> cm /Im Do Q` with the image removed (parse never decodes images, see
      // pdf-child.ts) leaves a transform straight followed by restore: that is where it was.
      if (list.fnArray[i + 1] === OPS.restore) addImage(state, viewport, add);
    } else if (fn !== undefined && images.has(fn)) {
      addImage(state, viewport, add);
    } else if (fn === OPS.setLineWidth && typeof args[0] === "number") {
      state.lineWidth = args[0];
    } else if (fn === OPS.setGState) {
      applyGState(state, args[0]);
    } else if (fn === OPS.setFillRGBColor || fn === OPS.setFillTransparent) {
      state.fillHidden = fn === OPS.setFillTransparent || isWhite(args[0]);
    } else if (fn === OPS.setStrokeRGBColor || fn === OPS.setStrokeTransparent) {
      state.strokeHidden = fn === OPS.setStrokeTransparent || isWhite(args[0]);
    } else if (fn === OPS.constructPath) {
      addPath(args, state, viewport, { fills, strokes }, add);
    }
  }
  return out;
}

type Add = <K extends "rules" | "fills" | "images" | "shapes">(kind: K, items: GraphicsJson[K]) => void;

/** An image fills the unit square of the current transformation matrix. */
function addImage(state: GState, viewport: Matrix, add: Add): void {
  const shapes = classifyPath([0, 0, 0, 1, 1, 0, 1, 1, 1, 1, 0, 1, 4], multiply(viewport, state.ctm), {
    fill: true,
    stroke: false,
    visibleFill: true,
    lineWidth: 0,
  });
  const box = [...shapes.fills, ...shapes.shapes][0];
  if (box && box.width >= MIN_IMAGE_SIDE && box.height >= MIN_IMAGE_SIDE) add("images", [box]);
}

/** constructPath args: [paint op, [packed path data], bbox]; clip-only paths (endPath) paint nothing. */
function addPath(args: unknown[], state: GState, viewport: Matrix, codes: { fills: Set<number>; strokes: Set<number> }, add: Add): void {
  const [op, datas] = args;
  const data = Array.isArray(datas) ? (datas[0] as unknown) : undefined;
  if (typeof op !== "number" || !isNumbers(data)) return;
  const fill = codes.fills.has(op);
  const stroke = codes.strokes.has(op) && !state.strokeHidden;
  if (!fill && !stroke) return;
  const m = multiply(viewport, state.ctm);
  const shapes = classifyPath(data, m, {
    fill,
    stroke,
    visibleFill: !state.fillHidden,
    lineWidth: scaledWidth(state.lineWidth, state.ctm),
  });
  add("rules", shapes.rules);
  add("fills", shapes.fills);
  add("shapes", shapes.shapes);
}

/** setGState args: [[key, value], ...]; only the line width matters here. */
function applyGState(state: GState, entries: unknown): void {
  if (!Array.isArray(entries)) return;
  for (const entry of entries) {
    if (Array.isArray(entry) && entry[0] === "LW" && typeof entry[1] === "number") state.lineWidth = entry[1];
  }
}

// pdf.js turns every colour space into "#rrggbb" in the operator list.
const isWhite = (hex: unknown): boolean => typeof hex === "string" && hex.toLowerCase() === "#ffffff";

function isMatrix(v: unknown): v is number[] {
  return isNumbers(v) && v.length >= 6;
}

function isNumbers(v: unknown): v is ArrayLike<number> & { length: number } {
  return (
    (Array.isArray(v) || ArrayBuffer.isView(v)) &&
    Array.prototype.every.call(v, (x: unknown) => typeof x === "number" && Number.isFinite(x))
  );
}
