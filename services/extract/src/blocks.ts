import type { BBox, Block, BlockType } from "@quire/contracts";
import { bounds, type Line } from "./lines.js";
import { parseListMarker } from "./list-items.js";
import { groupParagraphs } from "./paragraphs.js";
import type { Flow } from "./reading-order.js";
import { headingLevel, MAX_LEVEL, type DocumentStyle } from "./styles.js";
import { joinLines, normalizeSpaces } from "./text.js";

/** The page a block sits on: its number (for ids) and size in points (for normalized bboxes). */
export interface PageFrame {
  pageNumber: number;
  width: number;
  height: number;
}

/** Headings are short: longer text in a heading font is a styled paragraph. */
const MAX_HEADING_CHARS = 200;
const MAX_HEADING_LINES = 4;
/** Bold body-size text counts as a heading only when it is a short line or two. */
const MAX_BOLD_HEADING_CHARS = 100;
const MAX_BOLD_HEADING_LINES = 2;
/** Page numbers sit in the top or bottom margin: this share of the page height. */
const MARGIN_SHARE = 0.1;
/** A monospace character is ~0.6 em wide; used to turn an x offset back into leading spaces. */
const MONO_CHAR_EM = 0.6;

const PAGE_NUMBER = /^(?:page\s+)?[-–—]?\s*(?:\d{1,4}|[ivxlc]{1,6})\s*[-–—]?(?:\s*(?:of|\/)\s*\d{1,4})?$/iu;

/** Turns a page's flows (in reading order) into typed blocks with ids "p<page>-b<n>". */
export function buildBlocks(flows: readonly Flow[], page: PageFrame, style: DocumentStyle): Block[] {
  const blocks: Block[] = [];
  for (const flow of flows) {
    for (const lines of groupParagraphs(flow, style)) {
      const block = toBlock(lines, page, style, `p${page.pageNumber}-b${blocks.length + 1}`);
      if (block.text !== "") blocks.push(block);
    }
  }
  return demoteEnumeratedHeadings(blocks);
}

/**
 * "1. Introduction" in a heading font is a numbered heading, but "1. …" directly followed or
 * preceded by another enumerated block in the same font is a numbered list set large.
 */
function demoteEnumeratedHeadings(blocks: Block[]): Block[] {
  const enumerated = (b: Block | undefined): boolean => b !== undefined && parseListMarker(b.text)?.ordered === true;
  const sameFont = (a: Block, b: Block | undefined): boolean => b !== undefined && a.type === b.type && a.level === b.level;
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

function toBlock(lines: readonly Line[], page: PageFrame, style: DocumentStyle, id: string): Block {
  const bbox = normalizeBBox(lines, page);
  const { type, level } = classify(lines, page, style);
  const block: Block = { id, type, text: textOf(lines, type), bbox };
  if (level !== undefined) block.level = level;
  return block;
}

interface Classification {
  type: BlockType;
  level?: number;
}

/** Decides the block type; the order matters (a big "1. Introduction" is a heading, not a list item). */
function classify(lines: readonly Line[], page: PageFrame, style: DocumentStyle): Classification {
  if (lines.every((l) => l.monospace)) return { type: "code" };
  if (isPageNumber(lines, page)) return { type: "page_number" };
  const text = lines.map((l) => l.text).join(" ");
  // A bullet glyph is never a heading, whatever its font.
  if (parseListMarker(text)?.ordered === false) return { type: "list_item" };
  const level = commonLevel(lines, style);
  const enlarged = lines.every((l) => l.fontSize > style.bodySize * 1.05);
  // Stray large glyphs (figure labels, drop caps, quote marks) are not headings: ask for a word.
  const wordy = /\p{L}.*\p{L}/u.test(text);
  if (level !== undefined && wordy && enlarged && lines.length <= MAX_HEADING_LINES && text.length <= MAX_HEADING_CHARS)
    return heading(level);
  const boldHeading = level !== undefined && wordy && lines.length <= MAX_BOLD_HEADING_LINES && text.length <= MAX_BOLD_HEADING_CHARS;
  // A sentence ending in "." or a label ending in ":" is emphasized body text, not a title.
  if (boldHeading && !/[.,;:]$/u.test(text)) return heading(level);
  if (parseListMarker(text)) return { type: "list_item" };
  return { type: "paragraph" };
}

// Level 1 is the document's largest heading size: its title.
const heading = (level: number): Classification => ({ type: level === 1 ? "title" : "heading", level: Math.min(level, MAX_LEVEL) });

/** The heading level shared by every line of the block, if they share one. */
function commonLevel(lines: readonly Line[], style: DocumentStyle): number | undefined {
  const levels = new Set(lines.map((l) => headingLevel(l, style)));
  const [level] = levels;
  return levels.size === 1 ? level : undefined;
}

function isPageNumber(lines: readonly Line[], page: PageFrame): boolean {
  const [line] = lines;
  if (lines.length !== 1 || !line || !PAGE_NUMBER.test(line.text)) return false;
  return line.y1 <= page.height * MARGIN_SHARE || line.y0 >= page.height * (1 - MARGIN_SHARE);
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
  return lines
    .map((l) => " ".repeat(Math.max(0, Math.round((l.x0 - left) / (MONO_CHAR_EM * l.fontSize)))) + l.text)
    .join("\n");
}

/** The union of the lines' boxes as fractions of the page from its top-left, clamped to 0..1. */
export function normalizeBBox(lines: readonly Line[], page: PageFrame): BBox {
  const w = page.width > 0 ? page.width : 1;
  const h = page.height > 0 ? page.height : 1;
  const f = (v: number, size: number): number => Math.round(Math.min(1, Math.max(0, v / size)) * 10_000) / 10_000;
  const box = bounds(lines);
  return [f(box.x0, w), f(box.y0, h), f(box.x1, w), f(box.y1, h)];
}
