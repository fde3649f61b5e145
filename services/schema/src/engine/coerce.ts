/**
 * Typed values found in free text: amounts (either decimal separator, thousands separators,
 * currency symbols), percentages, dates in many locales (→ ISO 8601) and booleans. Each hit
 * keeps its span in the original text, so a citation can show exactly what was read.
 */
import { fold } from "./text.js";

/** Day/month order of numeric dates like 03/04/2023, decided once per document. */
export type DateOrder = "dmy" | "mdy";

/** A number found in text, with its span (currency sign included) and whether it is a percentage. */
export interface NumberHit {
  value: number;
  start: number;
  end: number;
  percent: boolean;
  currency?: string;
}

/** A date found in text, as ISO 8601, with its span. */
export interface DateHit {
  /** `YYYY-MM-DD`. */
  iso: string;
  /** `HH:MM:SS` and zone (`Z`, `+02:00`) when the text gives a time. */
  time?: string;
  zone?: string;
  start: number;
  end: number;
  /** True when a numeric date's day/month order came from the document default, not from the date itself. */
  ambiguous: boolean;
}

const CURRENCY_CODES = "EUR|USD|GBP|CHF|CAD|AUD|NZD|JPY|CNY|SEK|NOK|DKK|PLN|CZK|HUF|INR|BRL|MXN|ZAR";
const SYMBOL = "[$€£¥₹₩₽]|R\\$|zł|Kč|kr";
const CURRENCY_BEFORE = new RegExp(`(${SYMBOL}|\\b(?:${CURRENCY_CODES})\\b)\\s?$`, "u");
const CURRENCY_AFTER = new RegExp(`^\\s?(${SYMBOL}|(?:${CURRENCY_CODES})\\b)`, "u");
const NUMBER =
  /(?<![\p{L}\p{N}_/.,\-*[])(-\s?)?(\d{1,3}(?:([\u00a0\u202f'.,]|\s(?=\d{3}(?:[.,\s\u00a0\u202f]\d|\d{0}\s?[€]|,\d)))\d{3})(?:\3\d{3})*(?:[.,]\d+)?|\d+(?:[.,]\d+)?)(?![\p{L}\p{N}_/*\]]|[.,]\d)/gu;

/** Every number in a text, with its sign, currency and percent sign. */
export function findNumbers(text: string): NumberHit[] {
  const out: NumberHit[] = [];
  const currencyBefore: boolean[] = [];
  const clean = text.replaceAll("−", "-");
  for (const m of clean.matchAll(NUMBER)) {
    const raw = m[2] ?? "";
    const value = interpretNumber(raw);
    if (value === undefined) continue;
    let start = m.index;
    const end = m.index + m[0].length;
    const before = clean.slice(Math.max(0, start - 6), start);
    const after = clean.slice(end, end + 5);
    const curBefore = CURRENCY_BEFORE.exec(before);
    const curAfter = CURRENCY_AFTER.exec(after);
    const negative = m[1] !== undefined || (/\(\s?$/u.test(before) && /^\s?\)/u.test(after));
    const percent = /^\s?%/u.test(after);
    if (curBefore) start -= curBefore[0].length;
    const hit: NumberHit = {
      value: negative ? -value : value,
      start,
      end: percent ? end + (after.indexOf("%") + 1) : curAfter ? end + curAfter[0].length : end,
      percent,
    };
    const currency = curBefore?.[1] ?? curAfter?.[1];
    if (currency) hit.currency = currency;
    // "1 € 149,00": the symbol between two numbers is the second one's, not the first's.
    const previous = out.at(-1);
    if (previous && previous.end > hit.start && curBefore) {
      previous.end = hit.start;
      if (!currencyBefore.at(-1)) delete previous.currency;
    }
    out.push(hit);
    currencyBefore.push(curBefore !== null);
  }
  return out;
}

/** "1.234,56" / "1,234.56" / "1 234,56" / "12,5" / "1.000" → a number. */
export function interpretNumber(raw: string): number | undefined {
  const s = raw.replace(/[\s\u00a0\u202f']/gu, "");
  const dot = s.lastIndexOf(".");
  const comma = s.lastIndexOf(",");
  let normalized = s;
  if (dot >= 0 && comma >= 0) {
    const decimal = dot > comma ? "." : ",";
    normalized = s.replaceAll(decimal === "." ? "," : ".", "").replace(decimal, ".");
  } else if (dot >= 0 || comma >= 0) {
    const sep = dot >= 0 ? "." : ",";
    const parts = s.split(sep);
    const head = parts[0] ?? "";
    const thousands = parts.length > 2 || ((parts[1] ?? "").length === 3 && head !== "0" && head.length <= 3);
    normalized = thousands ? parts.join("") : `${head}.${parts.slice(1).join("")}`;
  }
  const value = Number(normalized);
  return Number.isFinite(value) ? value : undefined;
}

const MONTHS: Record<string, number> = {};
const MONTH_NAMES: Array<[number, string[]]> = [
  [1, ["january", "jan", "janvier", "janv", "januari", "januar", "janner", "enero", "ene", "gennaio", "gen", "janeiro"]],
  [2, ["february", "feb", "febr", "fevrier", "fevr", "fev", "februari", "februar", "febrero", "febbraio", "fevereiro"]],
  [3, ["march", "mar", "mars", "maart", "mrt", "marz", "maerz", "marzo", "marco"]],
  [4, ["april", "apr", "avril", "avr", "abril", "abr", "aprile"]],
  [5, ["may", "mai", "mei", "mayo", "maggio", "mag", "maio"]],
  [6, ["june", "jun", "juin", "juni", "junio", "giugno", "giu", "junho"]],
  [7, ["july", "jul", "juillet", "juil", "juli", "julio", "luglio", "lug", "julho"]],
  [8, ["august", "aug", "aout", "augustus", "agosto", "ago"]],
  [9, ["september", "sep", "sept", "septembre", "septiembre", "setiembre", "settembre", "set", "setembro"]],
  [10, ["october", "oct", "octobre", "oktober", "okt", "octubre", "ottobre", "ott", "outubro", "out"]],
  [11, ["november", "nov", "novembre", "noviembre", "novembro"]],
  [12, ["december", "dec", "decembre", "dezember", "dez", "diciembre", "dic", "dicembre", "dezembro"]],
];
for (const [n, names] of MONTH_NAMES) for (const name of names) MONTHS[name] = n;
const MONTH_RE = Object.keys(MONTHS)
  .sort((a, b) => b.length - a.length)
  .join("|");

const DATE_PATTERNS: Array<{ re: RegExp; parts: (m: RegExpMatchArray) => [string, string, string] | undefined; numeric: boolean }> = [
  {
    re: /(?<![\d/.-])(\d{4})[-./](\d{1,2})[-./](\d{1,2})(?![\d/]|[.,]\d)/gu,
    parts: (m) => [m[1] ?? "", m[2] ?? "", m[3] ?? ""],
    numeric: false,
  },
  { re: /(?<![\d/.,-])(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?![\d/]|[.,]\d)/gu, parts: () => undefined, numeric: true },
  {
    re: new RegExp(
      `(?<![\\p{L}\\d])(\\d{1,2})(?:st|nd|rd|th|er|e|\\.)?[\\s./-]*(?:de\\s+)?(${MONTH_RE})(?![\\p{L}])\\.?,?[\\s./-]*(?:de\\s+|del\\s+)?(\\d{4})(?!\\d)`,
      "gu",
    ),
    parts: (m) => [m[3] ?? "", String(MONTHS[m[2] ?? ""] ?? ""), m[1] ?? ""],
    numeric: false,
  },
  {
    re: new RegExp(`(?<![\\p{L}])(${MONTH_RE})(?![\\p{L}])\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})(?!\\d)`, "gu"),
    parts: (m) => [m[3] ?? "", String(MONTHS[m[1] ?? ""] ?? ""), m[2] ?? ""],
    numeric: false,
  },
];
const TIME = /^\s*(?:,|t|at|um|a|om|à)?\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(am|pm)?\s*(z\b|utc\b|gmt\b|[+-]\d{2}:?\d{2})?/u;

/** Every date in a text (ISO, numeric in `order`, or with a month name in en/fr/nl/de/es/it/pt). */
export function findDates(text: string, order: DateOrder = "dmy"): DateHit[] {
  const f = fold(text);
  const hits: DateHit[] = [];
  for (const pattern of DATE_PATTERNS) {
    for (const m of f.text.matchAll(pattern.re)) {
      const parts = pattern.numeric ? numericParts(m, order) : { ymd: pattern.parts(m), ambiguous: false };
      const iso = parts.ymd && isoDate(...parts.ymd);
      if (!iso) continue;
      const endFolded = m.index + m[0].length;
      const hit: DateHit = { iso, start: f.map[m.index] ?? 0, end: f.map[endFolded] ?? text.length, ambiguous: parts.ambiguous };
      addTime(hit, f.text.slice(endFolded), (n) => f.map[endFolded + n] ?? text.length);
      hits.push(hit);
    }
  }
  hits.sort((a, b) => a.start - b.start || b.end - a.end);
  return hits.filter((h, i) => !hits.slice(0, i).some((o) => h.start < o.end && o.start < h.end));
}

function numericParts(m: RegExpMatchArray, order: DateOrder): { ymd?: [string, string, string]; ambiguous: boolean } {
  const [a, b, y] = [Number(m[1]), Number(m[3]), m[4] ?? ""];
  const year = y.length === 2 ? String(Number(y) < 70 ? 2000 + Number(y) : 1900 + Number(y)) : y;
  if (a > 12 && b <= 12) return { ymd: [year, String(b), String(a)], ambiguous: false };
  if (b > 12 && a <= 12) return { ymd: [year, String(a), String(b)], ambiguous: false };
  if (a > 12 && b > 12) return { ambiguous: false };
  return { ymd: order === "dmy" ? [year, String(b), String(a)] : [year, String(a), String(b)], ambiguous: a !== b };
}

function isoDate(y: string, m: string, d: string): string | undefined {
  const [year, month, day] = [Number(y), Number(m), Number(d)];
  if (!(year >= 1900 && year <= 2199 && month >= 1 && month <= 12 && day >= 1)) return undefined;
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return undefined;
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

function addTime(hit: DateHit, rest: string, toOriginal: (n: number) => number): void {
  const t = TIME.exec(rest);
  if (!t) return;
  let hour = Number(t[1]);
  const [minute, second] = [Number(t[2]), Number(t[3] ?? "0")];
  if (t[4] === "pm" && hour < 12) hour += 12;
  if (t[4] === "am" && hour === 12) hour = 0;
  if (hour > 23 || minute > 59 || second > 59) return;
  const pad = (n: number) => String(n).padStart(2, "0");
  hit.time = `${pad(hour)}:${pad(minute)}:${pad(second)}`;
  const zone = t[5];
  if (zone) hit.zone = /^[zug]/u.test(zone) ? "Z" : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  hit.end = toOriginal(t[0].length);
}

/**
 * The day/month order of the document's numeric dates: a date that can only be read one way
 * (13/04 or 04/13) decides; else the hint (a prompt saying "MM/DD"), else US-dollar documents
 * read month first and all others day first.
 */
export function inferDateOrder(texts: readonly string[], hint?: DateOrder): DateOrder {
  let dmy = 0;
  let mdy = 0;
  for (const text of texts) {
    for (const m of text.matchAll(/(?<![\d/.-])(\d{1,2})[./-](\d{1,2})[./-](?:\d{4}|\d{2})(?![\d/])/gu)) {
      const [a, b] = [Number(m[1]), Number(m[2])];
      if (a > 12 && b <= 12) dmy++;
      if (b > 12 && a <= 12) mdy++;
    }
  }
  if (dmy !== mdy) return dmy > mdy ? "dmy" : "mdy";
  if (hint) return hint;
  const all = texts.join(" ");
  return /\$\s?\d/u.test(all) && !/[€£]/u.test(all) ? "mdy" : "dmy";
}

const TRUE_MARKS = /[☑☒✓✔✅■▣]|\[\s?[xX✓]\s?\]|\(\s?[xX]\s?\)/u;
const FALSE_MARKS = /[☐□▢]|\[\s\]|\(\s\)/u;
const TRUE_WORDS = new Set(["yes", "ja", "oui", "si", "sim", "true", "y", "x", "paid", "betaald", "bezahlt", "paye"]);
const FALSE_WORDS = new Set(["no", "nein", "non", "nee", "nao", "false", "n", "unpaid", "onbetaald", "unbezahlt", "impaye"]);

/** A boolean from check marks or yes/no words (en, de, fr, nl, es, pt); the first one wins. */
export function findBoolean(text: string): { value: boolean; start: number; end: number } | undefined {
  const marks = [TRUE_MARKS.exec(text), FALSE_MARKS.exec(text)];
  const words = fold(text);
  let best: { value: boolean; start: number; end: number } | undefined;
  const consider = (value: boolean, start: number, end: number) => {
    if (!best || start < best.start) best = { value, start, end };
  };
  if (marks[0]) consider(true, marks[0].index, marks[0].index + marks[0][0].length);
  if (marks[1]) consider(false, marks[1].index, marks[1].index + marks[1][0].length);
  for (const m of words.text.matchAll(/[\p{L}]+/gu)) {
    const value = TRUE_WORDS.has(m[0]) ? true : FALSE_WORDS.has(m[0]) ? false : undefined;
    if (value !== undefined) consider(value, words.map[m.index] ?? 0, words.map[m.index + m[0].length] ?? text.length);
  }
  return best;
}
