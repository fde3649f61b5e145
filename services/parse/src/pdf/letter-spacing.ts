// Repairs letter-spaced text that pdf.js's text layer spells with a space between every letter.
//
// pdf.js puts a space wherever the gap between two glyphs is over 0.102 em (and starts a new
// item past 0.6 em), measured after each glyph's advance but before the character spacing
// (Tc) the PDF adds to it. Text set with character spacing (word processors' "expanded"
// text, tracked headings, slides) therefore comes out "L e t t e r   s p a c e d", its real
// word spaces lost among the fake ones. The operator list still has each run's glyphs,
// space glyphs and adjustments, and the character spacing in force: for a run whose
// spacing is that wide, the spelling pdf.js will produce and the right one are both known,
// and the text items are mended with them (like the Arabic ligature repair beside this file).
import type { OperatorList, OpCodes } from "./page-graphics.js";
import type { ItemJson } from "./page-types.js";
import { reverse } from "./rtl-ligatures.js";

/** pdf.js's own threshold (TRACKING_SPACE_FACTOR): a gap over this share of the font size is a space to it. */
const PDFJS_SPACE_EM = 0.102;
/** Inside a letter-spaced run, a gap this much (em) wider than the tracking is a word break. */
const WORD_GAP_EM = 0.1;
/** Per page, as for the ligature fixes: a hostile page must not grow the map without end. */
const MAX_FIXES = 5000;
/**
 * A run is mended inside a longer item only when it spells at least this many characters
 * ("S p a c e d", 3 glyphs and up): a short one ("o f") could be ordinary spaced text
 * elsewhere on the page, and is mended only where it is a whole item.
 */
const MIN_RUN_CHARS = 5;
const RTL = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]/u;
const LTR_LETTER = /[\p{L}\p{N}]/u;

export interface LetterSpacingFixes {
  /** A whole run as pdf.js spells it → as drawn; replaced wherever an item holds it. */
  runs: Map<string, string>;
  /** One word of such a run, which pdf.js may give an item of its own (gaps over 0.6 em). */
  words: Map<string, string>;
}

interface TextState {
  charSpacing: number;
  fontSize: number;
}

/** The letter-spaced runs of one page: how pdf.js will spell each, and the text as drawn. */
export function letterSpacingFixes(list: OperatorList, OPS: OpCodes): LetterSpacingFixes {
  const fixes: LetterSpacingFixes = { runs: new Map(), words: new Map() };
  const stack: TextState[] = [];
  let state: TextState = { charSpacing: 0, fontSize: 0 };
  for (let i = 0; i < list.fnArray.length && fixes.runs.size + fixes.words.size < MAX_FIXES; i++) {
    const fn = list.fnArray[i];
    const args = list.argsArray[i] as unknown[] | null | undefined;
    if (fn === OPS.save) stack.push({ ...state });
    else if (fn === OPS.restore) state = stack.pop() ?? state;
    else if (fn === OPS.setCharSpacing && typeof args?.[0] === "number") state.charSpacing = args[0];
    else if (fn === OPS.setFont && typeof args?.[1] === "number") state.fontSize = Math.abs(args[1]);
    else if (fn === OPS.showText && state.fontSize > 0 && state.charSpacing > PDFJS_SPACE_EM * state.fontSize) {
      addRun(fixes, runWords(args?.[0], state.fontSize));
    }
  }
  return fixes;
}

/** The run's words (each a list of glyph texts), split at space glyphs and wide adjustments; undefined when a glyph has no text. */
function runWords(glyphs: unknown, fontSize: number): string[][] | undefined {
  if (!Array.isArray(glyphs)) return undefined;
  const words: string[][] = [[]];
  for (const g of glyphs) {
    if (typeof g === "number") {
      // A TJ adjustment, in thousandths of an em; a negative one moves the next glyph right.
      if ((-g / 1000) * fontSize > WORD_GAP_EM * fontSize) words.push([]);
      continue;
    }
    const { unicode, isSpace } = (typeof g === "object" && g !== null ? g : {}) as { unicode?: unknown; isSpace?: unknown };
    if (typeof unicode !== "string" || unicode === "") return undefined;
    if (isSpace === true || /^\s+$/u.test(unicode)) words.push([]);
    else words.at(-1)?.push(unicode);
  }
  return words.filter((w) => w.length > 0);
}

function addRun(fixes: LetterSpacingFixes, words: string[][] | undefined): void {
  if (!words || words.flat().length < 2) return;
  const visual = words.flat().join("");
  // pdf.js gives right-to-left runs in logical order (reversed); mixed runs are left alone.
  const rtl = RTL.test(visual);
  if (rtl && LTR_LETTER.test(visual.replace(new RegExp(RTL.source, "gu"), ""))) return;
  const order = (s: string): string => (rtl ? reverse(s) : s);
  const spaced = (glyphs: readonly string[]): string => order(glyphs.join(" "));
  const drawn = order(words.map((w) => w.join("")).join(" "));
  fixes.runs.set(spaced(words.flat()), drawn);
  for (const w of words) if (w.length >= 2) fixes.words.set(spaced(w), order(w.join("")));
}

/** Mends the items that the page's letter-spaced runs name (in place). */
export function applyLetterSpacingFixes(items: ItemJson[], fixes: LetterSpacingFixes): ItemJson[] {
  if (fixes.runs.size === 0) return items;
  // Longest first; a run is replaced only where it stands as whole words in the item.
  const runs = [...fixes.runs]
    .filter(([spaced]) => spaced.length >= MIN_RUN_CHARS)
    .sort((a, b) => b[0].length - a[0].length)
    .map(([spaced, drawn]) => [new RegExp(`(?<=^|\\s)${escapeRegExp(spaced)}(?=\\s|$)`, "gu"), drawn] as const);
  for (const item of items) {
    const word = fixes.words.get(item.text.trim()) ?? fixes.runs.get(item.text.trim());
    if (word !== undefined) {
      item.text = item.text.replace(item.text.trim(), word);
      continue;
    }
    for (const [spaced, drawn] of runs) if (item.text.includes(" ")) item.text = item.text.replace(spaced, drawn);
  }
  return items;
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/gu, "\\$&");
