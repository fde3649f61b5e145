// Repairs Arabic words that pdf.js's text layer spells with a ligature's letters swapped.
//
// Word and many other producers draw لا, لأ, لإ, لآ (lam + alef) as one ligature glyph whose
// ToUnicode entry is the two letters in logical order. pdf.js builds each text run in visual
// order (left to right) and reverses RTL runs into logical order, reversing the ligature's
// two letters with everything else: "المشكلات" comes out as "المشكالت". pdf.js's text items
// no longer know where glyphs began, but the operator list does (showText args are glyphs):
// for each run holding such a glyph, the word pdf.js will produce and the right spelling are
// both known, and the text items are mended word by word.
import type { OperatorList, OpCodes } from "./page-graphics.js";
import type { ItemJson } from "./page-types.js";

const ARABIC = "\\u0600-\\u06ff\\u0750-\\u077f\\u08a0-\\u08ff\\ufb50-\\ufdff\\ufe70-\\ufeff";
const ARABIC_UNIT = new RegExp(`^[${ARABIC}]+$`, "u");
const ARABIC_WORD = new RegExp(`[${ARABIC}]+`, "gu");
/** Per page: a page has a few hundred words; a hostile one must not grow the map without end. */
const MAX_FIXES = 5000;

/** A string with its code points in reverse order (pdf.js gives right-to-left runs reversed). */
export const reverse = (s: string): string => [...s].reverse().join("");

/** Wrong word (as pdf.js spells it) → right word, for the runs of one page. */
export function ligatureFixes(list: OperatorList, OPS: OpCodes): Map<string, string> {
  const fixes = new Map<string, string>();
  for (let i = 0; i < list.fnArray.length && fixes.size < MAX_FIXES; i++) {
    if (list.fnArray[i] !== OPS.showText) continue;
    const units = glyphUnicodes((list.argsArray[i] as unknown[] | undefined)?.[0]);
    if (!units.some(isLigature)) continue;
    let visual = "";
    let fixed = "";
    const flush = (): void => {
      if (visual !== fixed) fixes.set(reverse(visual), reverse(fixed));
      visual = fixed = "";
    };
    for (const u of units) {
      if (!ARABIC_UNIT.test(u)) {
        flush();
        continue;
      }
      visual += u;
      // Pre-reversing the ligature's letters makes the run's reversal put them back in order.
      fixed += isLigature(u) ? reverse(u) : u;
    }
    flush();
  }
  return fixes;
}

/** Mends the Arabic words of the items that the page's fixes name (in place). */
export function applyLigatureFixes(items: ItemJson[], fixes: ReadonlyMap<string, string>): ItemJson[] {
  if (fixes.size === 0) return items;
  for (const item of items) item.text = item.text.replace(ARABIC_WORD, (w) => fixes.get(w) ?? w);
  return items;
}

/** One glyph drawing several Arabic letters. */
const isLigature = (u: string): boolean => [...u].length > 1 && ARABIC_UNIT.test(u);

/** The unicode of each glyph in a showText argument (numbers there are spacing adjustments). */
function glyphUnicodes(glyphs: unknown): string[] {
  if (!Array.isArray(glyphs)) return [];
  const out: string[] = [];
  for (const g of glyphs) {
    const unicode = typeof g === "object" && g !== null ? (g as { unicode?: unknown }).unicode : undefined;
    if (typeof unicode === "string") out.push(unicode);
  }
  return out;
}
