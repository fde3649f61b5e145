import type { BBox, BlockType } from "@quire/contracts";
import { classify } from "./classify.js";
import { bounds, type Line, type PageElement } from "../lines/lines.js";
import { parseListMarker } from "./list-items.js";
import { groupParagraphs } from "./paragraphs.js";
import type { Flow } from "./reading-order.js";
import type { Box } from "../tables/rulings.js";
import type { DocumentStyle } from "../lines/styles.js";
import { joinLines, normalizeSpaces } from "../lines/text.js";

/** A block before it gets its id: its lines, and where it sits in its flow. */
export interface DraftBlock {
  type: BlockType;
  text: string;
  /** Page points; normalized when the block is emitted. */
  box: Box;
  level?: number;
  lines: readonly Line[];
  element?: PageElement;
  /** Index of the flow (column or band) it was read in, and whether it opens or closes it. */
  flow: number;
  firstInFlow: boolean;
  lastInFlow: boolean;
}

/** A monospace character is ~0.6 em wide; used to turn an x offset back into leading spaces. */
const MONO_CHAR_EM = 0.6;
/** List markers this close (em) in x are at one nesting depth. */
const LIST_INDENT_EM = 0.8;

/** Turns a page's flows (in reading order) into typed draft blocks. */
export function buildBlocks(flows: readonly Flow[], style: DocumentStyle): DraftBlock[] {
  const blocks: DraftBlock[] = [];
  flows.forEach((flow, f) => {
    const text = flow.filter((l) => !l.element);
    const flowBox = text.length > 0 ? bounds(text) : bounds(flow);
    const groups = groupParagraphs(flow, style);
    groups.forEach((lines, k) => {
      const block = toBlock(lines, style, flowBox, f);
      block.firstInFlow = k === 0;
      block.lastInFlow = k === groups.length - 1;
      if (block.text !== "" || block.element) blocks.push(block);
    });
  });
  return nestLists(demoteEnumeratedHeadings(blocks));
}

function toBlock(lines: readonly Line[], style: DocumentStyle, flowBox: Box, flow: number): DraftBlock {
  const [first] = lines;
  const box = bounds(lines);
  const edges = { flow, firstInFlow: false, lastInFlow: false };
  if (first?.element) return { type: first.element.kind, text: "", box, lines, element: first.element, ...edges };
  const { type, level } = classify(lines, style, flowBox);
  return { type, text: textOf(lines, type), box, lines, ...(level !== undefined ? { level } : {}), ...edges };
}

/**
 * "1. Introduction" in a heading font is a numbered heading, but "1. …" directly followed or
 * preceded by another enumerated block in the same font is a numbered list set large.
 */
function demoteEnumeratedHeadings(blocks: DraftBlock[]): DraftBlock[] {
  const enumerated = (b: DraftBlock | undefined): boolean => b !== undefined && parseListMarker(b.text)?.ordered === true;
  const sameFont = (a: DraftBlock, b: DraftBlock | undefined): boolean => b !== undefined && a.type === b.type && a.level === b.level;
  const demote = blocks.map((b, i) => {
    if ((b.type !== "heading" && b.type !== "title") || !enumerated(b)) return false;
    const [prev, next] = [blocks[i - 1], blocks[i + 1]];
    return (enumerated(prev) && sameFont(b, prev)) || (enumerated(next) && sameFont(b, next));
  });
  return blocks.map((b, i) => {
    if (!demote[i]) return b;
    const { level: _level, ...rest } = b;
    return { ...rest, type: "list_item" };
  });
}

/**
 * Nesting depth of list items: within a run of consecutive items, each distinct marker
 * indent (the item's left edge, to the nearest LIST_INDENT_EM) is one level deeper.
 */
function nestLists(blocks: DraftBlock[]): DraftBlock[] {
  let run: DraftBlock[] = [];
  const flush = (): void => {
    const indents: number[] = [];
    for (const b of [...run].sort((p, q) => p.box.x0 - q.box.x0)) {
      const last = indents.at(-1);
      if (last === undefined || b.box.x0 - last > LIST_INDENT_EM * (b.lines[0]?.fontSize ?? 10)) indents.push(b.box.x0);
    }
    for (const b of run) b.level = indents.filter((x) => x <= b.box.x0 + 0.01).length || 1;
    run = [];
  };
  for (const b of blocks) {
    if (b.type === "list_item" && (run.length === 0 || run.at(-1)?.flow === b.flow)) run.push(b);
    else {
      flush();
      if (b.type === "list_item") run.push(b);
    }
  }
  flush();
  return blocks;
}

function textOf(lines: readonly Line[], type: BlockType): string {
  if (type === "code") return codeText(lines);
  // Soft hyphens are invisible: joinLines uses one at a line end, the rest are dropped.
  const text = normalizeSpaces(lines.reduce((acc, l) => joinLines(acc, l.text), "")).replace(/\u00ad/gu, "");
  if (type !== "list_item") return text;
  // Bullets are presentation (markdown draws its own); enumerators are content and stay.
  const marker = parseListMarker(text);
  return marker && !marker.ordered ? marker.body : text;
}

/** Code keeps its line breaks, and its indentation, recovered from each line's x offset. */
function codeText(lines: readonly Line[]): string {
  const left = bounds(lines).x0;
  return lines.map((l) => " ".repeat(Math.max(0, Math.round((l.x0 - left) / (MONO_CHAR_EM * l.fontSize)))) + l.text).join("\n");
}

/** A box as fractions of the page from its top-left, clamped to 0..1. */
export function normalizeBox(box: Box, page: { width: number; height: number }): BBox {
  const w = page.width > 0 ? page.width : 1;
  const h = page.height > 0 ? page.height : 1;
  const f = (v: number, size: number): number => Math.round(Math.min(1, Math.max(0, v / size)) * 10_000) / 10_000;
  return [f(box.x0, w), f(box.y0, h), f(box.x1, w), f(box.y1, h)];
}

/** The union of the lines' boxes, normalized to the page. */
export function normalizeBBox(lines: readonly Line[], page: { width: number; height: number }): BBox {
  return normalizeBox(bounds(lines), page);
}
