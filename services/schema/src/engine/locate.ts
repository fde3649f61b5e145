/**
 * Finds where in the document a given value is written, for values that did not come from
 * our own reading (a model's answer): text by normalized match, numbers and dates by value
 * after coercion ("1.234,56 €" = 1234.56, "20 mars 2023" = 2023-03-20). A value found
 * nowhere is reported as not found, never cited loosely.
 */
import { findDates, findNumbers } from "./coerce.js";
import type { Doc, Segment } from "./document.js";
import type { LeafSpec } from "./fields.js";
import type { LabelOcc } from "./labels.js";
import { fillLabeled, labelScore } from "./scalars.js";
import { fold, normalizeSpace } from "./text.js";

/** Where an answered value is written. */
export interface Located {
  /** The value, typed for the field (a numeric string becomes a number, a date ISO). */
  value: string | number | boolean;
  segs: Segment[];
  /** 1 for the exact text, less when it matched only after coercion. */
  quality: number;
}

/** Where `value` (answered for `spec`) is written; undefined when the document does not hold it. */
export function locateValue(spec: LeafSpec, value: unknown, doc: Doc, labels: readonly LabelOcc[]): Located | undefined {
  const near = labelledSegments(spec, labels);
  const rank = (segs: Segment[]) => [...segs].sort((a, b) => Number(near.has(b.index)) - Number(near.has(a.index)) || a.index - b.index);
  if (typeof value === "number") return locateNumber(spec, value, doc, rank);
  if (typeof value === "boolean") return locateBoolean(spec, value, doc, labels);
  if (typeof value !== "string" || normalizeSpace(value) === "") return undefined;
  if (spec.shape === "date" && /^\d{4}-\d{2}-\d{2}/u.test(value)) return locateDate(value, doc, rank);
  if (spec.field.type === "number" || spec.field.type === "integer") {
    const n = Number(value.replace(/[^\d.-]/gu, ""));
    return Number.isFinite(n) && /\d/u.test(value) ? locateNumber(spec, n, doc, rank) : undefined;
  }
  return locateText(value, doc, rank);
}

/** A yes/no has no text of its own: it stands only if a label of the field reads the same way. */
function locateBoolean(spec: LeafSpec, value: boolean, doc: Doc, labels: readonly LabelOcc[]): Located | undefined {
  const read = fillLabeled([spec], doc, labels).get(spec);
  return read && read.value === value ? { value, segs: read.segs, quality: 0.9 } : undefined;
}

function labelledSegments(spec: LeafSpec, labels: readonly LabelOcc[]): Set<number> {
  return new Set(labels.filter((l) => labelScore(spec, l) >= 0.5).flatMap((l) => [l.seg.index, l.seg.index + 1]));
}

function locateNumber(spec: LeafSpec, value: number, doc: Doc, rank: (s: Segment[]) => Segment[]): Located | undefined {
  if (spec.field.type === "integer" && !Number.isInteger(value)) return undefined;
  const hits = doc.segments.filter((s) => findNumbers(s.text).some((n) => Math.abs(n.value - value) < 0.005));
  const [first] = rank(hits);
  if (first) return { value: spec.field.type === "string" ? String(value) : value, segs: [first], quality: 0.9 };
  // An identifier answered as a number: its digits, written with or without spaces.
  const digits = String(Math.trunc(Math.abs(value)));
  if (!Number.isInteger(value) || digits.length < 4) return undefined;
  const asId = rank(doc.segments.filter((s) => s.text.replace(/[\s.]/gu, "").includes(digits)))[0];
  return asId && { value, segs: [asId], quality: 0.8 };
}

function locateDate(value: string, doc: Doc, rank: (s: Segment[]) => Segment[]): Located | undefined {
  const iso = value.slice(0, 10);
  const [first] = rank(doc.segments.filter((s) => findDates(s.text, doc.dateOrder).some((d) => d.iso === iso)));
  return first && { value, segs: [first], quality: 0.9 };
}

/** Each line of the text, folded and whitespace-normalized, inside one segment (identifiers also without spaces). */
function locateText(value: string, doc: Doc, rank: (s: Segment[]) => Segment[]): Located | undefined {
  const segs: Segment[] = [];
  let quality = 1;
  for (const line of value
    .split("\n")
    .map((l) => normalizeSpace(l))
    .filter(Boolean)) {
    const needle = fold(line).text;
    const exact = rank(doc.segments.filter((s) => contains(fold(normalizeSpace(s.text)).text, needle)));
    const compact = needle.replace(/\s/gu, "");
    const spaced =
      exact.length > 0 || compact.length < 6
        ? []
        : rank(doc.segments.filter((s) => fold(s.text).text.replace(/\s/gu, "").includes(compact)));
    const seg = exact[0] ?? spaced[0];
    if (!seg) return undefined;
    if (!exact[0]) quality = 0.8;
    if (!segs.includes(seg)) segs.push(seg);
  }
  return segs.length > 0 ? { value, segs, quality } : undefined;
}

/** Substring match; a needle that starts or ends with a letter or digit must not cut a word there. */
function contains(haystack: string, needle: string): boolean {
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) {
    const before = haystack[at - 1] ?? " ";
    const after = haystack[at + needle.length] ?? " ";
    const cutsLeft = /[\p{L}\p{N}]/u.test(needle[0] ?? "") && /[\p{L}\p{N}]/u.test(before);
    const cutsRight = /[\p{L}\p{N}]/u.test(needle.at(-1) ?? "") && /[\p{L}\p{N}]/u.test(after);
    if (!cutsLeft && !cutsRight) return true;
  }
  return false;
}
