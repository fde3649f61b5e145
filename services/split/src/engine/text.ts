/** Tokens, light stemming, script and language guesses: the text side of the split engines. */

/** Words too common to say anything about what a page is, in the languages seen most. */
const STOPWORDS = new Set(
  (
    "a an and are as at be by for from has have in is it its of on or that the their this to was were will with " +
    "such each other any all can may not no our your you we they he she his her them which who what when where how " +
    "into over under than then there these those also about after before between both but do does if more most per via " +
    "one some only own same so very just out up down off again further once here why because while until " +
    "le la les de des du un une et est en pour par sur au aux ce ces dans qui que pas plus ou son sa ses " +
    "der die das und ist den dem des ein eine einer zu mit von im auf für nicht sich als auch es wird " +
    "het een en van de is op te voor met zijn niet aan om ook als bij"
  ).split(" "),
);

/** Stopword profiles used to tell Latin-script languages apart. */
const LANGUAGE_WORDS: Record<string, ReadonlySet<string>> = {
  en: new Set("the and of to in is that for with as was on are by this be from or which".split(" ")),
  fr: new Set("le la les et des du un une est pour dans que qui sur au aux par pas ce".split(" ")),
  de: new Set("der die das und ist den dem des ein eine zu mit von nicht sich auf für im".split(" ")),
  nl: new Set("het een en van de is op te voor met zijn niet dat aan om ook bij".split(" ")),
  es: new Set("el los las y del un una es por para con que en se no su al lo".split(" ")),
  it: new Set("il gli lo le e del della di un una che per con non si sono al".split(" ")),
  pt: new Set("o os as e do da dos das um uma que para com não se em no na".split(" ")),
};

/** Scripts that are written without spaces between words: indexed as character bigrams. */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;
const SCRIPTS: Array<[string, RegExp]> = [
  ["latin", /\p{Script=Latin}/u],
  ["cyrillic", /\p{Script=Cyrillic}/u],
  ["greek", /\p{Script=Greek}/u],
  ["arabic", /\p{Script=Arabic}/u],
  ["hebrew", /\p{Script=Hebrew}/u],
  ["han", /\p{Script=Han}/u],
  ["kana", /[\p{Script=Hiragana}\p{Script=Katakana}]/u],
  ["hangul", /\p{Script=Hangul}/u],
  ["devanagari", /\p{Script=Devanagari}/u],
  ["thai", /\p{Script=Thai}/u],
];

/** Lower-cased words (runs of letters and digits), NFKC-normalized so presentation forms and full-width letters match. */
export function words(text: string): string[] {
  return (
    text
      .normalize("NFKC")
      .toLowerCase()
      .match(/[\p{L}\p{N}\p{M}]+/gu) ?? []
  );
}

/**
 * Index terms of a text: stopwords dropped, Latin words stripped of accents and stemmed, so
 * "invoices", "invoice" and "invoicing" meet; unspaced scripts cut into character bigrams.
 */
export function terms(text: string): string[] {
  const out: string[] = [];
  for (const w of words(text)) {
    if (UNSPACED.test(w)) {
      const chars = [...w];
      if (chars.length === 1) out.push(w);
      for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
      continue;
    }
    const t = term(w);
    if (t !== undefined) out.push(t);
  }
  return out;
}

/** One word → its index term, or undefined when it is a stopword or too short to mean anything. */
export function term(word: string): string | undefined {
  if (STOPWORDS.has(word)) return undefined;
  if (/^\p{N}+$/u.test(word)) return word.length >= 2 ? word : undefined;
  const plain = /\p{Script=Latin}/u.test(word) ? word.normalize("NFKD").replace(/\p{M}/gu, "") : word;
  if ([...plain].length < 2) return undefined;
  return stem(plain);
}

/** A light suffix stripper (no dictionary): plural, -ing, -ed and a final -e, for words of 4+ letters. Prefix matching is in bm25.ts. */
export function stem(w: string): string {
  if (w.length < 4 || !/^\p{L}+$/u.test(w)) return w;
  let s = w;
  if (s.endsWith("ies") && s.length > 4) s = s.slice(0, -3) + "y";
  else if (s.endsWith("sses")) s = s.slice(0, -2);
  else if (/(?:x|ch|sh|ss)es$/u.test(s)) s = s.slice(0, -2);
  else if (s.endsWith("s") && !/(?:ss|us|is)$/u.test(s)) s = s.slice(0, -1);
  if (s.endsWith("ing") && s.length > 5) s = s.slice(0, -3);
  else if (s.endsWith("ed") && s.length > 4 && !s.endsWith("eed")) s = s.slice(0, -2);
  if (s.endsWith("e") && s.length > 4) s = s.slice(0, -1);
  return s;
}

/** The script most of the letters are in ("latin", "han", …), or undefined with too few letters to say. */
export function dominantScript(text: string): string | undefined {
  const counts = new Map<string, number>();
  let letters = 0;
  for (const ch of text) {
    if (!/\p{L}/u.test(ch)) continue;
    letters++;
    const hit = SCRIPTS.find(([, re]) => re.test(ch));
    if (hit) counts.set(hit[0], (counts.get(hit[0]) ?? 0) + 1);
  }
  if (letters < 40) return undefined;
  // Japanese mixes kana and kanji: count them as one script.
  const kana = counts.get("kana") ?? 0;
  if (kana > 0) counts.set("kana", kana + (counts.get("han") ?? 0));
  const [best] = [...counts].sort((a, b) => b[1] - a[1]);
  return best && best[1] >= letters * 0.5 ? best[0] : undefined;
}

/** A Latin-script language guess from stopword counts, or undefined when the evidence is thin or mixed. */
export function guessLanguage(ws: readonly string[]): string | undefined {
  const scores = Object.entries(LANGUAGE_WORDS).map(([lang, set]) => [lang, ws.filter((w) => set.has(w)).length] as const);
  scores.sort((a, b) => b[1] - a[1]);
  const [first, second] = scores;
  if (!first || first[1] < 8) return undefined;
  return first[1] >= 2 * (second?.[1] ?? 0) ? first[0] : undefined;
}
