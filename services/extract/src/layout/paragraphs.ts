import { bounds, type Line } from "../lines/lines.js";
import { parseListMarker } from "./list-items.js";
import type { Flow } from "./reading-order.js";
import { headingLevel, roundSize, sameSize, type DocumentStyle } from "../lines/styles.js";

/** Extra space (in em) above a line, beyond the flow's usual line pitch, that starts a paragraph. */
const PARAGRAPH_GAP_EM = 0.35;
/** A line starting this much (in em) right of the previous one is a first-line indent. */
const INDENT_EM = 0.8;
/** A line ending this share of the flow's width short of its right edge is not a full line. */
const SHORT_LINE_SHARE = 0.2;
/** Pitches outside this range (in em) are gaps or table sub-rows, not line spacing: no vote for the usual pitch. */
const MIN_LEADING_EM = 0.9;
const MAX_LEADING_EM = 2.5;

/**
 * What the paragraph rules need to know about the flow as a whole. Edges are measured along
 * the reading direction: for right-to-left text the line start is its right edge, so the
 * indent and short-line rules hold for both directions.
 */
interface FlowShape {
  rtl: boolean;
  /** Where lines start and end, in reading-direction coordinates (x, or -x for RTL). */
  start: number;
  end: number;
  /** The usual baseline-to-baseline distance per (rounded) font size. */
  pitch: Map<number, number>;
  style: DocumentStyle;
}

/**
 * Splits a flow into paragraphs: runs of lines with the same font role, regular line spacing
 * and a shared left edge. A new paragraph starts at extra vertical space, a first-line indent,
 * a list marker, a change of font size or role, or after a short line that ends a sentence.
 */
export function groupParagraphs(flow: Flow, style: DocumentStyle): Line[][] {
  if (flow.length > 0 && flow.every((l) => l.vertical)) return groupVertical(flow);
  const shape = shapeOf(
    flow.filter((l) => !l.element),
    style,
  );
  const groups: Line[][] = [];
  for (const line of flow) {
    const group = groups.at(-1);
    const prev = group?.at(-1);
    // A table or figure stands alone, and text on either side of it is not one paragraph.
    if (group && prev && !prev.element && !line.element && !startsParagraph(prev, line, group, shape)) group.push(line);
    else groups.push([line]);
  }
  return groups;
}

/**
 * Vertical columns (read right to left) of one paragraph: a new paragraph starts at a
 * column indented from the flow's top (the usual one-character indent), after a column
 * that stops short of the flow's bottom, or across a wider gap than the usual pitch.
 */
function groupVertical(flow: Flow): Line[][] {
  const box = bounds(flow);
  const groups: Line[][] = [];
  for (const line of flow) {
    const group = groups.at(-1);
    const prev = group?.at(-1);
    const em = line.fontSize;
    const pitch = prev ? prev.x0 - line.x0 : 0;
    const starts = !prev || line.y0 > box.y0 + 0.5 * em || prev.y1 < box.y1 - em || pitch > 2 * em || pitch <= 0;
    if (group && !starts) group.push(line);
    else groups.push([line]);
  }
  return groups;
}

function startsParagraph(prev: Line, cur: Line, group: readonly Line[], shape: FlowShape): boolean {
  if (roleOf(prev, shape.style) !== roleOf(cur, shape.style) || !sameSize(prev.fontSize, cur.fontSize)) return true;
  if (hasGapAbove(prev, cur, group, shape)) return true;
  const role = roleOf(cur, shape.style);
  // Code keeps its indentation as content: it never splits on x.
  if (role === "code") return false;
  if (parseListMarker(cur.text)) return true;
  // Headings may be centred, so their lines' left edges differ.
  return role === "body" && startsByLayout(prev, cur, group, shape);
}

/** "code", "h<level>" (by font) or "body": lines of different roles never share a paragraph. */
function roleOf(line: Line, style: DocumentStyle): string {
  if (line.monospace) return "code";
  const level = headingLevel(line, style);
  return level === undefined ? "body" : `h${level}`;
}

/**
 * More space above `cur` than the paragraph's own line pitch (or, for its second line, the
 * flow's usual pitch at this size) plus a margin.
 */
function hasGapAbove(prev: Line, cur: Line, group: readonly Line[], shape: FlowShape): boolean {
  const em = Math.max(prev.fontSize, cur.fontSize);
  const pitch = cur.baseline - prev.baseline;
  const beforePrev = group.at(-2);
  const expected = beforePrev ? prev.baseline - beforePrev.baseline : (shape.pitch.get(roundSize(cur.fontSize)) ?? 1.2 * em);
  return pitch <= 0 || pitch > expected + PARAGRAPH_GAP_EM * em;
}

/** Horizontal cues: hanging list items, indents, outdents, and a short line ending a sentence. */
function startsByLayout(prev: Line, cur: Line, group: readonly Line[], shape: FlowShape): boolean {
  const first = group[0] ?? prev;
  const em = cur.fontSize;
  if (parseListMarker(first.text)) {
    // A list item's continuation lines hang past its marker; back at the marker is new text.
    return startOf(cur, shape) <= startOf(first, shape) + 0.5 * em || endsSentenceShort(prev, shape);
  }
  const shift = startOf(cur, shape) - startOf(prev, shape);
  if (shift > INDENT_EM * em) {
    // Indented after a full first line is a hanging indent (references); otherwise a new paragraph.
    return !(prev === first && isFull(prev, shape));
  }
  // Back out to the margin after indented lines: unless prev was the paragraph's indented first line.
  if (shift < -INDENT_EM * em && prev !== first) return true;
  return endsSentenceShort(prev, shape);
}

const startOf = (l: Line, shape: FlowShape): number => (shape.rtl ? -l.x1 : l.x0);
const endOf = (l: Line, shape: FlowShape): number => (shape.rtl ? -l.x0 : l.x1);
const isFull = (line: Line, shape: FlowShape): boolean => endOf(line, shape) >= shape.end - SHORT_LINE_SHARE * (shape.end - shape.start);

/** A line that stops well short of the flow's end edge after a sentence end is a paragraph's last line. */
function endsSentenceShort(line: Line, shape: FlowShape): boolean {
  return !isFull(line, shape) && /[.!?:;。！？؟۔]["'”’)\]]*$/u.test(line.text);
}

function shapeOf(flow: Flow, style: DocumentStyle): FlowShape {
  const rtlChars = flow.reduce((n, l) => n + (l.rtl ? l.chars : 0), 0);
  const rtl = rtlChars * 2 > flow.reduce((n, l) => n + l.chars, 0);
  const box = bounds(flow);
  return { rtl, start: rtl ? -box.x1 : box.x0, end: rtl ? -box.x0 : box.x1, pitch: usualPitches(flow), style };
}

/** The most common baseline-to-baseline distance between same-size neighbours, per size. */
function usualPitches(flow: Flow): Map<number, number> {
  const votes = new Map<number, Map<number, number>>();
  for (let i = 1; i < flow.length; i++) {
    const [a, b] = [flow[i - 1], flow[i]];
    if (!a || !b || !sameSize(a.fontSize, b.fontSize)) continue;
    const pitch = b.baseline - a.baseline;
    if (pitch < MIN_LEADING_EM * b.fontSize || pitch > MAX_LEADING_EM * b.fontSize) continue;
    const size = roundSize(b.fontSize);
    const perSize = votes.get(size) ?? new Map<number, number>();
    const key = Math.round(pitch * 2) / 2;
    perSize.set(key, (perSize.get(key) ?? 0) + 1);
    votes.set(size, perSize);
  }
  const usual = new Map<number, number>();
  for (const [size, perSize] of votes) {
    // Ties go to the smaller pitch: paragraph gaps only ever add to the line pitch.
    const [best] = [...perSize].sort((x, y) => y[1] - x[1] || x[0] - y[0]);
    if (best) usual.set(size, best[0]);
  }
  return usual;
}
