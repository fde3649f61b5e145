/**
 * Text folding and word phrases. Matching works on folded text (lower case, no accents), but
 * values are cut from the original text, so every folded character keeps the index of the
 * original character it came from.
 */
import { STOPWORDS, canonicalWord, splitCompound } from "./vocabulary.js";

/** Folded text plus, per folded character, the index of its original character (one extra entry: the original length). */
export interface Folded {
  text: string;
  map: number[];
}

/** A word of a text: folded, with its span in the original text. */
export interface Token {
  word: string;
  start: number;
  end: number;
}

const SPECIAL: Record<string, string> = {
  ß: "ss",
  æ: "ae",
  œ: "oe",
  ø: "o",
  ł: "l",
  đ: "d",
  "’": "'",
  "‘": "'",
  "–": "-",
  "—": "-",
  "−": "-",
};

/** Lower case, accents stripped, ligatures expanded; keeps the index map. */
export function fold(text: string): Folded {
  let out = "";
  const map: number[] = [];
  for (let i = 0; i < text.length;) {
    const cp = text.codePointAt(i) ?? 0;
    const ch = String.fromCodePoint(cp);
    const lower = ch.toLowerCase();
    const f = SPECIAL[lower] ?? lower.normalize("NFKD").replace(/\p{M}/gu, "");
    for (let k = 0; k < f.length; k++) map.push(i);
    out += f;
    i += ch.length;
  }
  map.push(text.length);
  return { text: out, map };
}

/** Collapses whitespace runs to one space and trims. */
export const normalizeSpace = (text: string): string => text.replace(/\s+/gu, " ").trim();

/** The words of a text (letters and digits), folded, with their original spans. */
export function tokenize(text: string): Token[] {
  const f = fold(text);
  // "n°" / "nº" read as "no" (same length, so the index map still holds).
  f.text = f.text.replace(/(?<!\p{L})n[°º](?!\p{L})/gu, "no");
  const out: Token[] = [];
  for (const m of f.text.matchAll(/[\p{L}\p{N}]+/gu)) {
    const at = m.index;
    out.push({ word: m[0], start: f.map[at] ?? 0, end: f.map[at + m[0].length] ?? text.length });
  }
  return out;
}

/** Words of a property name: snake_case, camelCase, kebab-case and dotted names split. */
export function nameWords(name: string): string[] {
  const spaced = name.replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, "$1 $2").replace(/(\p{Lu}+)(\p{Lu}\p{Ll})/gu, "$1 $2");
  return tokenize(spaced).map((t) => t.word);
}

/** Folded words → canonical words: stopwords and bare numbers dropped, compounds split, synonyms unified. */
export function canonical(words: readonly string[]): string[] {
  const out: string[] = [];
  for (const w of words) out.push(...canonicalOf(w));
  return out;
}

const MEMO_LIMIT = 50_000;
const memo = new Map<string, readonly string[]>();

/** One word's canonical words, memoized (compound splitting tries every cut). */
function canonicalOf(w: string): readonly string[] {
  const hit = memo.get(w);
  if (hit) return hit;
  let out: readonly string[];
  if (STOPWORDS.has(w) || /^\p{N}+$/u.test(w)) out = [];
  else {
    const c = canonicalWord(w);
    out = c ? [c] : (splitCompound(w) ?? [w.length > 3 && w.endsWith("s") && !w.endsWith("ss") ? w.slice(0, -1) : w]);
  }
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(w, out);
  return out;
}

/** The canonical phrase of a free text ("N° de facture" → ["number", "invoice"]). */
export const phraseOf = (text: string): string[] => canonical(tokenize(text.replace(/[#№]/gu, " no ")).map((t) => t.word));

/**
 * How well two canonical phrases name the same thing, 0..1: 1 for the same words, less for one
 * inside the other (by how much of each is covered), less again for a partial overlap.
 */
export function similarity(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const [sa, sb] = [new Set(a), new Set(b)];
  let inter = 0;
  for (const w of sa) if (sb.has(w)) inter++;
  if (inter === 0) return 0;
  if (inter === sa.size && inter === sb.size) return 1;
  if (inter === sa.size || inter === sb.size) return 0.9 * (0.5 * (inter / sa.size) + 0.5 * (inter / sb.size));
  return (0.8 * inter) / (sa.size + sb.size - inter);
}
