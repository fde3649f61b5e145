/**
 * Finds labels in the document: the words before a colon ("Invoice Date:"), and known label
 * phrases without one ("Facture n° 2022089083", "Totaal | € 717,97"). Each label knows where
 * its inline value would start and which concept it most likely names.
 */
import { CONCEPTS } from "./concepts.js";
import type { Doc, Segment } from "./document.js";
import { canonical, similarity, tokenize, type Token } from "./text.js";
import { STOPWORDS } from "./vocabulary.js";

/** One label found in the document. */
export interface LabelOcc {
  id: number;
  seg: Segment;
  /** Span of the label in the segment's text. */
  start: number;
  end: number;
  /** Canonical words. */
  words: string[];
  colon: boolean;
  /** Where the inline value would begin (after the colon, "#", "n°" ...). */
  valueStart: number;
  /** The concept the label names best, by label weight × similarity. */
  best?: { concept: string; score: number } | undefined;
  /** A label word inside running text ("… the total was …"): no colon, a lower-case word before it. */
  prose?: boolean;
  /** Words precede the label on its line (and no colon follows it): a value after it is not simply "the rest of the line". */
  midLine?: boolean;
}

/** Known label phrases, as sets of canonical words (order-free). */
export type Lexicon = ReadonlySet<string>;

const MAX_LABEL_TOKENS = 6;
const ADDRESS_CONCEPTS: ReadonlySet<string> = new Set(CONCEPTS.filter((c) => c.addressPart).map((c) => c.id));

/** A word inside a run like "INV/2023/03/0008", "a@b.com" or "www.x.com" is part of a value, never of a label. */
function inValueRun(text: string, t: Token): boolean {
  let [a, b] = [t.start, t.end];
  while (a > 0 && !/\s/u.test(text[a - 1] ?? " ")) a--;
  while (b < text.length && !/\s/u.test(text[b] ?? " ")) b++;
  const run = text.slice(a, b).replace(/[:;,.)]+$/u, "");
  return /[@_]|\p{L}[./]\p{L}|[/\\]/u.test(run) || (/\d/u.test(run) && /\p{L}/u.test(run));
}
const keyOf = (words: readonly string[]): string => [...new Set(words)].sort().join(" ");

/** Every concept's labels and keys, plus extra phrases (the schema's property names). */
export function buildLexicon(extra: ReadonlyArray<readonly string[]>): Lexicon {
  const set = new Set<string>();
  for (const c of CONCEPTS) {
    for (const l of c.labels) set.add(keyOf(l.words));
    for (const k of c.keys) set.add(keyOf(k));
  }
  for (const words of extra) if (words.length > 0) set.add(keyOf(words));
  set.delete("");
  return set;
}

/** All label occurrences of a document, per segment in text order. */
export function findLabels(doc: Doc, lexicon: Lexicon): LabelOcc[] {
  const out: LabelOcc[] = [];
  for (const seg of doc.segments) {
    const tokens = tokenize(seg.text);
    const canon = tokens.map((t) => (inValueRun(seg.text, t) ? [] : canonical([t.word])));
    const found = [...colonLabels(seg, tokens, canon, lexicon), ...lexiconLabels(seg, tokens, canon, lexicon)];
    found.sort((a, b) => a.start - b.start || Number(b.colon) - Number(a.colon));
    const kept: Omit<LabelOcc, "id">[] = [];
    for (const occ of found) if (!kept.some((k) => occ.start < k.end && k.start < occ.end)) kept.push(occ);
    for (const occ of kept.sort((a, b) => a.start - b.start)) {
      const best = bestConcept(occ.words);
      // "United States" is not a label for a state: address parts are labelled only with a colon.
      if (!occ.colon && occ.words.length === 1 && best.best && ADDRESS_CONCEPTS.has(best.best.concept)) continue;
      out.push({ ...occ, id: out.length, ...best });
    }
  }
  return out;
}

/** The concept a label phrase names best (weight × similarity), if any. */
export function bestConcept(words: readonly string[], scope: "doc" | "item" = "doc"): { best?: LabelOcc["best"] } {
  let best: LabelOcc["best"];
  for (const c of CONCEPTS) {
    if (c.scope !== "any" && c.scope !== scope) continue;
    for (const l of c.labels) {
      const score = l.weight * similarity(words, l.words);
      if (score > 0 && (!best || score > best.score)) best = { concept: c.id, score };
    }
  }
  return best ? { best } : {};
}

/** Longest known phrases, left to right; a following "#" or "№" reads as "number". */
function lexiconLabels(seg: Segment, tokens: Token[], canon: string[][], lexicon: Lexicon): Omit<LabelOcc, "id">[] {
  const out: Omit<LabelOcc, "id">[] = [];
  // "# 1042" / "№ 1042" opening a block: the number sign is the label.
  const sign = /^\s*[#№]\s*(?=[\p{L}\p{N}])/u.exec(seg.text);
  if (sign) out.push({ seg, start: 0, end: sign[0].trimEnd().length, words: ["number"], colon: false, valueStart: sign[0].length });
  for (let i = 0; i < tokens.length;) {
    const match = longestMatch(seg.text, tokens, canon, lexicon, i);
    if (!match) {
      i++;
      continue;
    }
    const first = tokens[i];
    const colon = /^\s*:/u.test(seg.text.slice(match.end));
    const before = tokens[i - 1];
    const sameLine = before !== undefined && !/\n/u.test(seg.text.slice(before.end, first?.start ?? 0));
    // Inside running text: after a lower-case word, or anywhere but a line start in a long paragraph.
    const prose = !colon && sameLine && (/^\p{Ll}+$/u.test(seg.text.slice(before.start, before.end)) || seg.text.length > 150);
    if (first)
      out.push({
        seg,
        start: first.start,
        end: match.end,
        words: match.words,
        colon,
        valueStart: skipSeparators(seg.text, match.end),
        ...(prose ? { prose } : {}),
        ...(!colon && sameLine ? { midLine: true } : {}),
      });
    i = match.next;
  }
  return out;
}

function longestMatch(
  text: string,
  tokens: Token[],
  canon: string[][],
  lexicon: Lexicon,
  i: number,
): { words: string[]; end: number; next: number } | undefined {
  if ((canon[i] ?? []).length === 0) return undefined;
  let best: { words: string[]; end: number; next: number } | undefined;
  const words: string[] = [];
  for (let j = i; j < Math.min(tokens.length, i + MAX_LABEL_TOKENS); j++) {
    const token = tokens[j];
    if (!token || (j > i && /[\n:;|]/u.test(text.slice(tokens[j - 1]?.end ?? 0, token.start)))) break;
    words.push(...(canon[j] ?? []));
    if ((canon[j] ?? []).length === 0) {
      if (STOPWORDS.has(token.word)) continue;
      break;
    }
    if (lexicon.has(keyOf(words))) best = { words: [...words], end: token.end, next: j + 1 };
    const hash = /^\s*[#№]/u.exec(text.slice(token.end));
    if (hash && lexicon.has(keyOf([...words, "number"])))
      best = { words: [...words, "number"], end: token.end + hash[0].length, next: j + 1 };
  }
  return best;
}

/** Skips what sits between a label and its value: colon, "#", "n°", dashes, dots. */
export function skipSeparators(text: string, at: number): number {
  const m = /^[\s:#№°º.\-–=]*/u.exec(text.slice(at));
  return at + (m?.[0].length ?? 0);
}

/**
 * The words before each colon. Up to six tokens without digits (a rate like "20%" may be
 * part of it); when the line already had a label, at least one word is left to be its value.
 * Which words: the longest known phrase; else a run of capitalized words ("Payment Terms");
 * else everything available.
 */
function colonLabels(seg: Segment, tokens: Token[], canon: string[][], lexicon: Lexicon): Omit<LabelOcc, "id">[] {
  const out: Omit<LabelOcc, "id">[] = [];
  const text = seg.text;
  let previousColon = -1;
  for (let c = text.indexOf(":"); c >= 0; c = text.indexOf(":", c + 1)) {
    if (/\d/u.test(text[c - 1] ?? "") && /\d/u.test(text[c + 1] ?? "")) continue;
    if (text.startsWith("//", c + 1)) continue;
    const lineStart = Math.max(text.lastIndexOf("\n", c) + 1, previousColon + 1);
    const before = tokens.map((t, i) => ({ t, i })).filter(({ t }) => t.start >= lineStart && t.end <= c);
    const hadLabel = previousColon >= 0 && text.lastIndexOf("\n", c) < previousColon;
    previousColon = c;
    const span = labelSpan(text, before, canon, lexicon, hadLabel ? 1 : 0);
    if (!span) continue;
    const words = span.flatMap(({ i }) => canon[i] ?? []);
    const first = span[0];
    if (!first || words.length === 0) continue;
    out.push({ seg, start: first.t.start, end: c + 1, words, colon: true, valueStart: skipSeparators(text, c + 1) });
  }
  return out;
}

type Indexed = { t: Token; i: number };

function labelSpan(text: string, before: Indexed[], canon: string[][], lexicon: Lexicon, leave: number): Indexed[] | undefined {
  const allowed: Indexed[] = [];
  for (let k = before.length - 1; k >= leave && allowed.length < MAX_LABEL_TOKENS; k--) {
    const item = before[k];
    if (!item) break;
    const rate = /^\d+([.,]\d+)?$/u.test(item.t.word) && /^\s?%/u.test(text.slice(item.t.end));
    if ((/\d/u.test(item.t.word) || inValueRun(text, item.t)) && !rate) break;
    allowed.unshift(item);
  }
  if (allowed.length === 0) return undefined;
  for (let n = allowed.length; n >= 1; n--) {
    const suffix = allowed.slice(allowed.length - n);
    if ((canon[suffix[0]?.i ?? -1] ?? []).length === 0) continue;
    if (lexicon.has(keyOf(suffix.flatMap(({ i }) => canon[i] ?? [])))) return suffix;
  }
  const capital = (it: Indexed | undefined) => it !== undefined && /^\p{Lu}/u.test(text.slice(it.t.start, it.t.start + 1));
  let k = allowed.length - 1;
  while (k >= 0 && !capital(allowed[k])) k--;
  if (k < 0) return allowed;
  while (k > 0 && capital(allowed[k - 1])) k--;
  return allowed.slice(k);
}
