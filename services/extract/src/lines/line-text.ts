import type { TextItem } from "@quire/contracts";
import { firstChar, lastChar, normalizeForms, normalizeSpaces, spaceBetween } from "./text.js";

/** A gap wider than this (in em) is a word break: a space is ~0.25 em, split glyph runs touch. */
export const WORD_GAP_EM = 0.12;
/**
 * Where a lower-case letter meets a capital, a visible gap this wide (in em) is already a word
 * break: kerning and split glyph runs inside a word leave a few hundredths at most.
 */
const CASE_GAP_EM = 0.05;
/** Items that overlap by more than this (in em) are not two runs set one after the other. */
const MAX_OVERLAP_EM = 0.1;

const sizeOf = (item: TextItem): number => (item.fontSize > 0 ? item.fontSize : Math.max(item.height, 1));

// Letters of right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, NKo and their presentation forms).
const RTL_LETTER = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]/u;
const LETTER = /\p{L}/u;

/**
 * Orders a row's items (given left to right) for reading. pdf.js gives each item's text in
 * logical order, so only the items need ordering: a right-to-left line reads its items from
 * the right, except that a run of left-to-right items inside it (an English name of two
 * words, a number) keeps its own order; and the mirror case for RTL runs inside LTR lines.
 */
export function readingOrderOfItems(ltr: readonly TextItem[], rtl: boolean): TextItem[] {
  const opposite = (i: TextItem): boolean => (rtl ? i.dir === "ltr" && !RTL_LETTER.test(i.text) : i.dir === "rtl");
  const runs: TextItem[][] = [];
  for (const item of ltr) {
    const run = runs.at(-1);
    const last = run?.at(-1);
    // Consecutive opposite-direction items form one run; base-direction items stand alone.
    if (run && last && opposite(last) && opposite(item)) run.push(item);
    else runs.push([item]);
  }
  if (rtl) return runs.reverse().flat();
  return runs.flatMap((run) => (run.length > 1 && run.every(opposite) ? [...run].reverse() : run));
}

/**
 * Joins items given in reading order, with a space wherever the gap between them is a word
 * break, or where a right-to-left word meets a left-to-right one with no gap at all (the
 * space between them sits at a direction change, where PDF producers often drop it).
 */
export function joinItems(ordered: readonly TextItem[]): string {
  let text = "";
  let prev: TextItem | undefined;
  for (const item of ordered) {
    // Either side: inside a right-to-left line, a left-to-right run still reads left to right.
    const gap = !prev ? 0 : Math.max(item.x - (prev.x + prev.width), prev.x - (item.x + item.width));
    const wordBreak =
      prev !== undefined &&
      (gap > WORD_GAP_EM * Math.min(sizeOf(prev), sizeOf(item)) ||
        scriptChange(text, item.text) ||
        stacked(prev, item) ||
        caseBreak(prev, item, text, gap));
    const piece = normalizeForms(item.text);
    text += wordBreak && spaceBetween(text, piece) ? ` ${piece}` : piece;
    prev = item;
  }
  return normalizeSpaces(text);
}

const baselineOf = (i: TextItem): number => i.y + (i.height > 0 ? i.height : sizeOf(i));

/**
 * Two items that cover the same stretch of the row on different baselines are not one run of
 * glyphs: they are lines the row gathered together (a tall item between them, a design that
 * sets lines over each other), and each is its own word. Overlap is measured against the
 * narrower item, so an accent drawn over its letter (same baseline) or a kerned pair stays put.
 */
function stacked(a: TextItem, b: TextItem): boolean {
  const overlap = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const size = Math.min(sizeOf(a), sizeOf(b));
  return overlap > 0.5 * Math.min(a.width, b.width) && Math.abs(baselineOf(a) - baselineOf(b)) > 0.3 * size;
}

/**
 * A lower-case letter followed by a capital in a separate run ("Tax Return" + "For the year",
 * drawn one after the other, often in another font or size): a new word when the runs change
 * font or size, or stand a visible gap apart. Inside one run pdf.js keeps the text as drawn.
 */
function caseBreak(prev: TextItem, item: TextItem, left: string, gap: number): boolean {
  const a = lastChar(left);
  const b = firstChar(item.text);
  if (a === undefined || b === undefined || !/\p{Ll}/u.test(a) || !/\p{Lu}/u.test(b)) return false;
  const size = Math.min(sizeOf(prev), sizeOf(item));
  if (gap < -MAX_OVERLAP_EM * size) return false;
  const restyled = prev.fontName !== item.fontName || Math.abs(sizeOf(prev) - sizeOf(item)) > 0.1 * Math.max(sizeOf(prev), sizeOf(item));
  return restyled || gap > CASE_GAP_EM * size;
}

/** A letter of a right-to-left script next to a letter of a left-to-right one. */
function scriptChange(left: string, right: string): boolean {
  const a = lastChar(left);
  const b = firstChar(right);
  if (a === undefined || b === undefined || !LETTER.test(a) || !LETTER.test(b)) return false;
  return RTL_LETTER.test(a) !== RTL_LETTER.test(b);
}
