import type { BlockType } from "@quire/contracts";
import type { Line } from "../lines/lines.js";
import { parseListMarker } from "./list-items.js";
import type { Box } from "../tables/rulings.js";
import { HEADING_SIZE_RATIO, headingLevel, MAX_LEVEL, type DocumentStyle } from "../lines/styles.js";

export interface Classification {
  type: BlockType;
  level?: number;
}

/** Headings are short: longer text in a heading font is a styled paragraph. */
const MAX_HEADING_CHARS = 200;
const MAX_HEADING_LINES = 4;
/** Bold body-size text counts as a heading only when it is a short line or two. */
const MAX_BOLD_HEADING_CHARS = 100;
const MAX_BOLD_HEADING_LINES = 2;
/** Display formulas are a line or three of symbols, set off from the text's left edge by this many em. */
const MAX_FORMULA_CHARS = 160;
const MAX_FORMULA_LINES = 3;
const FORMULA_INDENT_EM = 1.5;

// "Figure 3:", "Fig. 2.", "Table 1.", "Listing 4 –": a label, a number, then punctuation (so
// that "Table 1 shows…" stays a sentence).
const CAPTION =
  /^(?:fig(?:ure)?|table|tab|listing|algorithm|chart|exhibit|scheme|plate|abbildung|tabelle|tableau|figura|tabla)\.?\s*[A-Z]?\d+(?:[.-]\d+)*\s*[:.|—–-]/iu;
// TeX math fonts (CMMI, CMSY, CMEX, AMS, Euler), OpenType math fonts, Symbol.
const MATH_FONT = /^(?:CM(?:MI|SY|EX|BSY)\d|MSAM|MSBM|EU[FRSX]\d|LMMath|STIX.*Math|XITS|Asana|Cambria.?Math|.*-Math|Symbol)/iu;
const OPERATOR = /[=<>≤≥≈≠∑∏∫√±×÷∈∉⊂⊆∀∃→⇒∞∂]/u;
// Three lower-case words in a row: a sentence, however much math it holds.
const PROSE = /\p{Ll}{3,}[\s,]+\p{Ll}{3,}[\s,]+\p{Ll}{3,}/u;
// An e-mail address, URL or path alone on a line, set in typewriter type as papers do.
const ADDRESS = /^[{(<]?[\w.,+{}~%-]+(?:@[\w.-]+|:\/\/\S+|(?:\/[\w.~%-]+)+\/?)[)>]?$/u;
// "5.1 Results", "A.2 Proofs", "3) Scope": section numbers say how deep a heading is.
const SECTION_NUMBER = /^(\d{1,2}(?:\.\d{1,2})*|[A-Z](?:\.\d{1,2})+)\.?\s+\p{L}/u;

/**
 * Decides a block's type; the order matters (a big "1. Introduction" is a heading, not a
 * list item; a caption in bold is a caption, not a heading).
 */
export function classify(lines: readonly Line[], style: DocumentStyle, flow: Box): Classification {
  const text = lines.map((l) => l.text).join(" ");
  if (lines.every((l) => l.monospace) && !isAddress(lines, text) && !isDisplayLine(lines, style)) return { type: "code" };
  if (CAPTION.test(text)) return { type: "caption" };
  if (isFormula(lines, text, flow)) return { type: "formula" };
  // A bullet glyph is never a heading, whatever its font.
  if (parseListMarker(text)?.ordered === false) return { type: "list_item" };
  const level = commonLevel(lines, style);
  const enlarged = lines.every((l) => l.fontSize > style.bodySize * 1.05);
  // Stray large glyphs (figure labels, drop caps, quote marks) are not headings: ask for a word.
  const wordy = /\p{L}.*\p{L}/u.test(text);
  if (level !== undefined && wordy && enlarged && lines.length <= MAX_HEADING_LINES && text.length <= MAX_HEADING_CHARS)
    return heading(level, text);
  const boldHeading = level !== undefined && wordy && lines.length <= MAX_BOLD_HEADING_LINES && text.length <= MAX_BOLD_HEADING_CHARS;
  // A sentence ending in "." or a label ending in ":" is emphasized body text, not a title.
  if (boldHeading && !/[.,;:]$/u.test(text)) return heading(level, text);
  if (parseListMarker(text)) return { type: "list_item" };
  return { type: "paragraph" };
}

/**
 * Display text in a typewriter face, not a listing: one line set larger than the body, or
 * lines centred on one axis (a listing's lines share a left edge, whatever their length).
 */
function isDisplayLine(lines: readonly Line[], style: DocumentStyle): boolean {
  if (lines.length === 1) return lines.every((l) => l.fontSize > style.bodySize * HEADING_SIZE_RATIO);
  const em = Math.max(...lines.map((l) => l.fontSize));
  const spread = (vs: number[]): number => Math.max(...vs) - Math.min(...vs);
  return spread(lines.map((l) => l.x0)) > em && spread(lines.map((l) => (l.x0 + l.x1) / 2)) <= 0.5 * em;
}

/** One line that is only an address is text in a typewriter font, not a code listing. */
function isAddress(lines: readonly Line[], text: string): boolean {
  return lines.length === 1 && ADDRESS.test(text.trim());
}

/**
 * Level 1 is the document's largest heading size: its title. A section number refines the
 * level ("2" → 2, "2.1" → 3), since documents often set several depths in one font.
 */
function heading(fontLevel: number, text: string): Classification {
  const depth = sectionDepth(text);
  const level = depth !== undefined && fontLevel > 1 ? depth + 1 : fontLevel;
  return { type: level === 1 ? "title" : "heading", level: Math.min(level, MAX_LEVEL) };
}

/** How deep a section number at the start of `text` goes ("2" → 1, "2.1" → 2), if it has one. */
export function sectionDepth(text: string): number | undefined {
  return SECTION_NUMBER.exec(text)?.[1]?.split(".").length;
}

/** The heading level shared by every line of the block, if they share one. */
function commonLevel(lines: readonly Line[], style: DocumentStyle): number | undefined {
  const levels = new Set(lines.map((l) => headingLevel(l, style)));
  const [level] = levels;
  return levels.size === 1 ? level : undefined;
}

/**
 * Typeset display math: short, set in (partly) a math font, with an operator, indented from
 * the flow's left edge, and not a sentence. Equations typed in a text font stay paragraphs:
 * nothing tells them from text reliably.
 */
function isFormula(lines: readonly Line[], text: string, flow: Box): boolean {
  if (lines.length > MAX_FORMULA_LINES || text.length > MAX_FORMULA_CHARS || !OPERATOR.test(text) || PROSE.test(text)) return false;
  const em = Math.max(...lines.map((l) => l.fontSize));
  if (Math.min(...lines.map((l) => l.x0)) < flow.x0 + FORMULA_INDENT_EM * em) return false;
  return lines.some((l) => l.items.some((i) => MATH_FONT.test(i.fontName)));
}
