/**
 * Reads one value of a given shape out of a piece of text (a label's value region, a cell)
 * and turns it into the property's JSON type. Returns nothing rather than a guess: a region
 * that holds no date yields no date.
 */
import { findBoolean, findDates, findNumbers, type DateOrder, type NumberHit } from "./coerce.js";
import type { Shape } from "./concepts.js";
import type { LeafSpec } from "./fields.js";
import { fold, nameWords, normalizeSpace } from "./text.js";

/** A value read from text. */
export interface ValueHit {
  value: string | number | boolean;
  /** Span of what was read, in the text given. */
  start: number;
  end: number;
  /** 0..1: how sure the reading is (a date whose day/month order was assumed reads lower). */
  quality: number;
}

type Reader = (text: string, spec: LeafSpec, order: DateOrder) => ValueHit | undefined;

/**
 * The value of `spec` in `text`, typed for its schema field, or undefined. `strict` reads a
 * payment method only from the vocabulary (no free-text fallback), for unlabelled text.
 */
export function readValue(spec: LeafSpec, text: string, order: DateOrder, strict = false): ValueHit | undefined {
  const reader = strict && spec.shape === "payment_method" ? paymentMethod : READERS[spec.shape];
  const hit = reader(text, spec, order);
  return hit && typed(hit, spec, text);
}

/** Every value of `spec` in `text`, left to right (strict readings, as for unlabelled text). */
export function readAll(spec: LeafSpec, text: string, order: DateOrder, limit = 50): ValueHit[] {
  const hits: ValueHit[] = [];
  for (let offset = 0; offset < text.length && hits.length < limit;) {
    const hit = readValue(spec, text.slice(offset), order, true);
    if (!hit || hit.end <= 0) break;
    hits.push({ ...hit, start: hit.start + offset, end: hit.end + offset });
    offset += hit.end;
  }
  return hits;
}

/** Converts a reading to the field's JSON type; undefined when it cannot be (e.g. 4.5 for an integer). */
function typed(hit: ValueHit, spec: LeafSpec, text: string): ValueHit | undefined {
  const { field } = spec;
  let value = hit.value;
  if (field.type === "string" && typeof value !== "string") value = normalizeSpace(text.slice(hit.start, hit.end));
  if ((field.type === "number" || field.type === "integer") && typeof value === "string") {
    const digits = value.replace(/[\s.]/gu, "");
    if (!/^\d{1,15}$/u.test(digits)) return undefined;
    value = Number(digits);
  }
  if (field.type === "integer" && (typeof value !== "number" || !Number.isInteger(value))) return undefined;
  if (field.type === "boolean" && typeof value !== "boolean") return undefined;
  if (field.enum && !field.enum.includes(value)) return undefined;
  return { ...hit, value };
}

const dateSpans = (text: string, order: DateOrder) => findDates(text, order);
function numbersOutsideDates(text: string, order: DateOrder): NumberHit[] {
  const dates = dateSpans(text, order);
  return findNumbers(text).filter((n) => !dates.some((d) => n.start < d.end && d.start < n.end));
}

const money: Reader = (text, _spec, order) => {
  const nums = numbersOutsideDates(text, order).filter((n) => !n.percent);
  const withCurrency = nums.filter((n) => n.currency);
  const pick = (withCurrency.length > 0 ? withCurrency : nums).at(-1);
  if (!pick) return undefined;
  const decimals = /[.,]\d{2}$/u.test(text.slice(pick.start, pick.end).replace(/\s?[^\d]+$/u, ""));
  return { value: pick.value, start: pick.start, end: pick.end, quality: pick.currency || decimals ? 1 : 0.85 };
};

const number: Reader = (text, spec, order) => {
  const nums = numbersOutsideDates(text, order);
  const pick = spec.field.type === "integer" ? nums.find((n) => Number.isInteger(n.value)) : nums[0];
  return pick && { value: pick.value, start: pick.start, end: pick.end, quality: 0.95 };
};

const percent: Reader = (text, _spec, order) => {
  const nums = numbersOutsideDates(text, order);
  const pct = nums.find((n) => n.percent);
  if (pct) return { value: pct.value, start: pct.start, end: pct.end, quality: 1 };
  const plain = nums.length === 1 ? nums[0] : undefined;
  return plain && plain.value >= 0 && plain.value <= 100
    ? { value: plain.value, start: plain.start, end: plain.end, quality: 0.75 }
    : undefined;
};

const date: Reader = (text, spec, order) => {
  const hit = findDates(text, order)[0];
  if (!hit) return undefined;
  const quality = hit.ambiguous ? 0.85 : 1;
  if (spec.field.format === "date-time") {
    if (!hit.time) return undefined;
    return {
      value: `${hit.iso}T${hit.time}${hit.zone ?? ""}`,
      start: hit.start,
      end: hit.end,
      quality: hit.zone ? quality : quality * 0.8,
    };
  }
  return { value: hit.iso, start: hit.start, end: hit.end, quality };
};

const AMOUNT_LIKE = /^[-+]?\d{1,3}([.,]\d{3})*[.,]\d{1,2}$|%$/u;

/** An identifier: among the first three words, the first holding a digit ("INV/2023/03/0008"), else an upper-case code. */
const id: Reader = (text, _spec, order) => {
  const dates = dateSpans(text, order);
  const words = [...text.matchAll(/[^\s,;]+/gu)].slice(0, 3);
  const candidates = words
    .map((m) => {
      const raw = m[0].replace(/^[#№:([*]+/u, "").replace(/[.:;)\]*]+$/u, "");
      const start = m.index + m[0].indexOf(raw);
      return { raw, start, end: start + raw.length };
    })
    .filter(
      (w) =>
        w.raw.length >= 2 &&
        !AMOUNT_LIKE.test(w.raw) &&
        !/^\d{1,2}[:h]\d{2}$/u.test(w.raw) &&
        !/[$€£¥]/u.test(w.raw) &&
        !dates.some((d) => w.start < d.end && d.start < w.end),
    );
  const withDigit = candidates.find((w) => /\d/u.test(w.raw));
  if (withDigit) return { value: withDigit.raw, start: withDigit.start, end: withDigit.end, quality: 0.95 };
  const code = candidates.find((w) => /^[A-Z][A-Z0-9_/.-]{2,}$/u.test(w.raw));
  return code && { value: code.raw, start: code.start, end: code.end, quality: 0.7 };
};

const text: Reader = (t) => {
  const m = /^[\s:#\-–.=]*(.*?)[\s,;:\-–]*$/su.exec(t);
  const value = normalizeSpace(m?.[1] ?? "");
  if (!/[\p{L}\p{N}]/u.test(value) || value.length > 300) return undefined;
  const start = t.indexOf(value.slice(0, 1));
  return { value, start: Math.max(0, start), end: t.length, quality: 0.85 };
};

const regexReader =
  (re: RegExp, quality: number): Reader =>
  (t) => {
    const m = re.exec(t);
    if (!m) return undefined;
    const raw = (m[1] ?? m[0]).replace(/[.,;)]+$/u, "");
    const start = m.index + m[0].indexOf(raw);
    return { value: raw, start, end: start + raw.length, quality };
  };

const email = regexReader(/[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/u, 1);
const url = regexReader(/(?<![@\p{L}\p{N}.])((?:https?:\/\/|www\.)[^\s,;<>"]+)/iu, 1);
const bic = regexReader(/\b([A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?)\b/u, 0.95);
const incoterm = regexReader(/\b(EXW|FCA|FAS|FOB|CFR|CIF|CPT|CIP|DAP|DPU|DDP|DAT|DDU)\b/u, 1);

const phone: Reader = (t, _spec, order) => {
  const dates = dateSpans(t, order);
  for (const m of t.matchAll(
    /(?<![\p{L}\p{N}.,/_\-[])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,5}\)[\s.-]?)?\d[\d\s.\-/]{4,}\d(?![\p{L}\p{N}%/_\]]|[.,]\d)/gu,
  )) {
    const digits = m[0].replace(/\D/gu, "").length;
    if (m[0].split(/\s+/u).filter((part) => /^\d+[.,]\d{1,2}$/u.test(part)).length >= 1 && /\s/u.test(m[0])) continue;
    if (digits < 7 || digits > 15 || dates.some((d) => m.index < d.end && d.start < m.index + m[0].length)) continue;
    if (!/[\s.\-/()+]/u.test(m[0]) && digits > 10) continue;
    return { value: m[0].trim(), start: m.index, end: m.index + m[0].length, quality: 0.9 };
  }
  return undefined;
};

/** IBAN: the longest run passing the mod-97 check; else an IBAN-shaped word (quality lower). */
const iban: Reader = (t) => {
  for (const m of t.matchAll(/\b[A-Z]{2}\d{2}/gu)) {
    let compact = "";
    let best: number | undefined;
    for (let i = m.index; i < t.length && compact.length < 34; i++) {
      const ch = t[i] ?? "";
      if (/[A-Z0-9]/u.test(ch)) {
        compact += ch;
        if (compact.length >= 15 && mod97(compact) === 1) best = i + 1;
      } else if (!(ch === " " && /[A-Z0-9]/u.test(t[i + 1] ?? ""))) break;
    }
    if (best !== undefined) return { value: t.slice(m.index, best), start: m.index, end: best, quality: 1 };
    const word = /^[A-Z]{2}\d{2}[A-Z0-9]{8,30}\b/u.exec(t.slice(m.index));
    if (word) return { value: word[0], start: m.index, end: m.index + word[0].length, quality: 0.7 };
  }
  return undefined;
};

function mod97(compact: string): number {
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let rest = 0;
  for (const ch of rearranged) {
    const code = /\d/u.test(ch) ? ch : String(ch.charCodeAt(0) - 55);
    for (const d of code) rest = (rest * 10 + Number(d)) % 97;
  }
  return rest;
}

const SYMBOL_CODES: Record<string, string> = { "€": "EUR", "£": "GBP", "₹": "INR", "₩": "KRW", "₽": "RUB" };
const currency: Reader = (t, spec) => {
  const m = /([$€£¥₹₩₽])|\b(EUR|USD|GBP|CHF|CAD|AUD|NZD|JPY|CNY|SEK|NOK|DKK|PLN|CZK|HUF|INR|BRL|MXN|ZAR)\b/u.exec(t);
  if (!m) return undefined;
  const wantsSymbol = nameWords(spec.field.name).includes("symbol");
  const symbol = m[1];
  const value = symbol ? (wantsSymbol ? symbol : (SYMBOL_CODES[symbol] ?? symbol)) : (m[2] ?? "");
  return { value, start: m.index, end: m.index + m[0].length, quality: 0.9 };
};

const unit: Reader = (t) => {
  const m = /(?<![\p{L}\p{N}])(\p{L}[\p{L}.²³]{0,11})(?![\p{L}\p{N}])/u.exec(t);
  return m ? { value: m[1] ?? m[0], start: m.index, end: m.index + m[0].length, quality: 0.8 } : undefined;
};

const PAYMENT_METHODS = [
  "iDEAL",
  "PayPal",
  "Visa",
  "Mastercard",
  "American Express",
  "Amex",
  "SEPA direct debit",
  "SEPA",
  "Bancontact",
  "Maestro",
  "Klarna",
  "Sofort",
  "Giropay",
  "Apple Pay",
  "Google Pay",
  "credit card",
  "debit card",
  "bank transfer",
  "wire transfer",
  "direct debit",
  "cash",
  "cheque",
  "check",
  "virement",
  "prélèvement",
  "carte bancaire",
  "Überweisung",
  "Lastschrift",
  "overschrijving",
  "Twint",
  "Swish",
  "Alipay",
];
const PAYMENT_RE = new RegExp(`(?<![\\p{L}])(${PAYMENT_METHODS.map((p) => fold(p).text).join("|")})(?![\\p{L}])`, "u");

/** A payment method from the generic vocabulary, as the document spells it. */
const paymentMethod: Reader = (t) => {
  const f = fold(t);
  const m = PAYMENT_RE.exec(f.text);
  if (!m) return undefined;
  const [start, end] = [f.map[m.index] ?? 0, f.map[m.index + m[0].length] ?? t.length];
  return { value: t.slice(start, end), start, end, quality: 0.9 };
};

const enumReader: Reader = (t, spec) => {
  const f = fold(t).text;
  let best: { value: string; at: number } | undefined;
  for (const option of spec.field.enum ?? []) {
    if (typeof option !== "string") continue;
    const o = fold(option).text;
    const at =
      o === "" ? -1 : f.search(new RegExp(`(?<![\\p{L}\\p{N}])${o.replace(/[.*+?^${}()|[\]\\]/gu, "\\$&")}(?![\\p{L}\\p{N}])`, "u"));
    if (at >= 0 && (!best || at < best.at)) best = { value: option, at };
  }
  return best && { value: best.value, start: best.at, end: best.at + best.value.length, quality: 0.9 };
};

const boolean: Reader = (t) => {
  const hit = findBoolean(t);
  return hit && { ...hit, quality: 0.8 };
};

const READERS: Record<Shape, Reader> = {
  money,
  number,
  percent,
  date,
  id,
  text,
  email,
  url,
  phone,
  iban,
  bic,
  incoterm,
  currency,
  unit,
  payment_method: (t, s, o) =>
    paymentMethod(t, s, o) ??
    (() => {
      const h = text(t, s, o);
      return h && { ...h, quality: 0.6 };
    })(),
  enum: enumReader,
  boolean,
};
