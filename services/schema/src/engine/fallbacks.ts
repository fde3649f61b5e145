/**
 * What fills a property no label names: its part of a parsed address (street, city, …), or a
 * value whose form alone says what it is (an e-mail address, an IBAN, a payment method) when
 * the document holds exactly one of them. Never the more likely of several: that is a guess.
 */
import type { ParsedAddress } from "./address.js";
import type { Doc, Segment } from "./document.js";
import type { LeafSpec } from "./fields.js";
import type { Filled } from "./scalars.js";
import { normalizeSpace } from "./text.js";
import { readAll, type ValueHit } from "./values.js";

const SELF_EVIDENT = new Set(["email", "url", "phone", "iban", "payment_method", "currency"]);

/** The spec's part of the address of its party (or of the only address, for a property without a party). */
export function fillFromAddress(spec: LeafSpec, addresses: readonly ParsedAddress[]): Filled | undefined {
  const part = spec.concept?.addressPart;
  if (!part) return undefined;
  const address = spec.role ? addresses.find((a) => a.role === spec.role) : addresses.length === 1 ? addresses[0] : undefined;
  const raw = address?.parts[part];
  if (!address || !raw) return undefined;
  const value = spec.field.type === "string" ? raw : /^\d+$/u.test(raw) ? Number(raw) : undefined;
  if (value === undefined || (spec.field.enum && !spec.field.enum.includes(value))) return undefined;
  const source = part === "country_code" ? (address.parts.country ?? raw) : raw;
  const seg = address.segs.find((s) => normalizeSpace(s.text).includes(source)) ?? address.segs[0];
  return seg && { value, segs: [seg], confidence: spec.role ? 0.65 : 0.75 };
}

/**
 * A document's title, for a property about it that no label answers: the text of the title
 * block the extraction found (the first, which opens the document), else nothing.
 */
export function fillTitle(spec: LeafSpec, doc: Doc): Filled | undefined {
  if (spec.concept?.id !== "title" || spec.field.type !== "string") return undefined;
  const seg = doc.segments.find((s) => s.blockType === "title" && normalizeSpace(s.text) !== "");
  return seg && { value: normalizeSpace(seg.text), segs: [seg], confidence: 0.7 };
}

/** A self-evident value (e-mail, URL, phone, IBAN, payment method, currency) when the document holds one distinct such value. */
export function fillSelfEvident(spec: LeafSpec, doc: Doc): Filled | undefined {
  if (!SELF_EVIDENT.has(spec.shape)) return undefined;
  const seen = new Map<string, { hit: ValueHit; seg: Segment; count: number }>();
  for (const seg of doc.segments) {
    for (const hit of readAll(spec, seg.text, doc.dateOrder)) {
      // Unlabelled, a bare digit run is an order number as often as a phone number.
      if (spec.shape === "phone" && /^\d+$/u.test(String(hit.value))) continue;
      const key = String(hit.value).toLowerCase();
      const had = seen.get(key);
      if (had) had.count++;
      else seen.set(key, { hit, seg, count: 1 });
    }
  }
  const ranked = [...seen.values()].sort((a, b) => b.count - a.count);
  const [first, second] = ranked;
  if (!first) return undefined;
  // Currency symbols repeat on every amount: the clearly dominant one is the document's.
  const clear = spec.shape === "currency" ? !second || first.count >= 2 * second.count : !second;
  return clear ? { value: first.hit.value, segs: [first.seg], confidence: 0.6 } : undefined;
}
