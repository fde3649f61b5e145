/**
 * Character-level helpers shared by the layout modules: where spaces belong between runs of
 * text, and how two wrapped lines of one paragraph join back together.
 */

// Han, Hiragana, Katakana, Hangul, CJK punctuation and full-width forms: the East Asian
// scripts, whose fonts are fixed-pitch and whose lines can run top to bottom.
const CJK =
  /[\u1100-\u11ff\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u31ff\u3200-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u{20000}-\u{3134f}]/u;
// Hangul (jamo, compatibility jamo, syllables): Korean separates its words with spaces, like
// Latin, so a gap between two Hangul syllables is a word break like any other.
const HANGUL = /[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7ff]/u;

export function isCjk(ch: string | undefined): boolean {
  return ch !== undefined && CJK.test(ch);
}

/** Chinese and Japanese characters: written without spaces between words. */
function withoutSpaces(ch: string | undefined): boolean {
  return isCjk(ch) && !HANGUL.test(ch ?? "");
}

/** First code point of `s` (astral-safe), or undefined for "". */
export function firstChar(s: string): string | undefined {
  const cp = s.codePointAt(0);
  return cp === undefined ? undefined : String.fromCodePoint(cp);
}

/** Last code point of `s` (astral-safe), or undefined for "". */
export function lastChar(s: string): string | undefined {
  if (s.length === 0) return undefined;
  const last = s.charCodeAt(s.length - 1);
  // A low surrogate ends an astral character that starts one code unit earlier.
  const start = last >= 0xdc00 && last <= 0xdfff && s.length > 1 ? s.length - 2 : s.length - 1;
  return String.fromCodePoint(s.codePointAt(start) ?? last);
}

const isSpace = (ch: string | undefined): boolean => ch !== undefined && /\s/u.test(ch);

/**
 * Whether a visible gap between `left` and `right` should become a space. Not when one side
 * already carries whitespace, and not between two Chinese or Japanese characters (those
 * scripts do not separate words with spaces, so justified text has gaps that are not word
 * breaks). Korean does, so Hangul is spaced like Latin, Cyrillic or Arabic.
 */
export function spaceBetween(left: string, right: string): boolean {
  const a = lastChar(left);
  const b = firstChar(right);
  if (a === undefined || b === undefined || isSpace(a) || isSpace(b)) return false;
  return !(withoutSpaces(a) && withoutSpaces(b));
}

const SOFT_HYPHEN = "\u00ad";
// A word broken at the line end: a letter, then a hyphen (ASCII, Unicode hyphen or soft hyphen).
const BROKEN_WORD = /\p{L}[-\u2010\u00ad]$/u;

/**
 * Joins the next line of a paragraph onto the text so far. A word hyphenated across the line
 * break ("infor-" + "mation") is rejoined without the hyphen when the next line goes on in
 * lower case; otherwise the hyphen is real ("COVID-" + "19") and kept, without a space.
 */
export function joinLines(text: string, next: string): string {
  const left = text.trimEnd();
  const right = next.trimStart();
  if (left === "") return right;
  if (right === "") return left;
  if (BROKEN_WORD.test(left)) {
    const continuesWord = /^\p{Ll}/u.test(right) || left.endsWith(SOFT_HYPHEN);
    return continuesWord ? left.slice(0, -1) + right : left + right;
  }
  return spaceBetween(left, right) ? `${left} ${right}` : left + right;
}

/**
 * Collapses runs of whitespace (tabs, no-break and ideographic spaces too) to one space; drops
 * zero-width spaces. Control characters count as spaces: fonts with broken encodings map
 * their space glyph to U+0002 and the like, which no reader wants in the text.
 */
export function normalizeSpaces(s: string): string {
  return (
    s
      .replace(/\u200b/gu, "")
      // oxlint-disable-next-line no-control-regex -- control characters are what this removes
      .replace(/[\u0000-\u001f\u007f\s]+/gu, " ")
      .trim()
  );
}

// Arabic presentation forms (positional glyph variants and ligatures): some fonts map glyphs
// to these instead of to letters, and pdf.js only normalizes part of the range.
const PRESENTATION_FORMS = /[\ufb50-\ufdff\ufe70-\ufefc]+/gu;

/**
 * Letters instead of presentation forms (NFKC, on those characters only), so "ﻧﻮ" reads and
 * searches as "نو". A ligature is one character, so its letters come out in logical order.
 */
export function normalizeForms(s: string): string {
  return s.replace(PRESENTATION_FORMS, (run) => run.normalize("NFKC"));
}
