/**
 * Label–value pairing for scalar properties. Each label that names a property offers value
 * candidates: after it on its line, in the next cell of its table row, in the block to its
 * right, or in the block below (pairing several labels with several values when a row of
 * labels sits over a row of values). Candidates are scored, then assigned best first, one
 * property per label occurrence.
 */
import { findDates, findNumbers } from "./coerce.js";
import { charSpan, sameLine, type Doc, type Segment } from "./document.js";
import type { LeafSpec } from "./fields.js";
import type { LabelOcc } from "./labels.js";
import { similarity } from "./text.js";
import { readValue, type ValueHit } from "./values.js";

/** A filled property: its value, the segments it was read from, and a confidence 0..1. */
export interface Filled {
  value: string | number | boolean;
  segs: Segment[];
  confidence: number;
}

interface Candidate {
  spec: LeafSpec;
  occ: LabelOcc;
  hit: ValueHit;
  seg: Segment;
  score: number;
}

/** Below this, a label is not taken to name a property. */
const MIN_LABEL_SCORE = 0.5;
/** Below this, a candidate value is not taken at all. */
const MIN_SCORE = 0.45;
/** Shapes that would take any words: not read after a label word inside running text. */
const FREE_SHAPES = new Set(["text", "id", "unit", "payment_method"]);

interface Context {
  doc: Doc;
  bySeg: Map<number, LabelOcc[]>;
  /** Where each label's value may be, per label and value kind: the same for every property. */
  sources: Map<string, Source[]>;
}

interface Source {
  seg: Segment;
  text: string;
  factor: number;
}

/** Fills what labels can fill; the map holds only properties a value was found for. */
export function fillLabeled(specs: readonly LeafSpec[], doc: Doc, labels: readonly LabelOcc[]): Map<LeafSpec, Filled> {
  const ctx: Context = { doc, bySeg: groupBySegment(labels), sources: new Map() };
  const all: Candidate[] = [];
  for (const spec of specs)
    all.push(
      ...rankBonus(
        spec,
        labels.flatMap((occ) => candidatesOf(spec, occ, ctx)),
      ).filter((c) => c.score >= MIN_SCORE),
    );
  all.sort((a, b) => b.score - a.score);
  const filled = new Map<LeafSpec, Filled>();
  const used = new Set<number>();
  for (const c of all) {
    if (filled.has(c.spec) || used.has(c.occ.id)) continue;
    used.add(c.occ.id);
    filled.set(c.spec, { value: c.hit.value, segs: [c.seg], confidence: Math.round(Math.min(1, c.score) * 100) / 100 });
  }
  return filled;
}

function groupBySegment(labels: readonly LabelOcc[]): Map<number, LabelOcc[]> {
  const out = new Map<number, LabelOcc[]>();
  for (const occ of labels) {
    const list = out.get(occ.seg.index) ?? [];
    list.push(occ);
    out.set(occ.seg.index, list);
  }
  return out;
}

/**
 * How well a label names a property. A label that names another concept clearly better
 * ("Total HT" for a gross total) is discounted, so near-synonyms do not steal each other's values.
 */
export function labelScore(spec: LeafSpec, occ: Pick<LabelOcc, "words" | "best">): number {
  let score = 0;
  let listed = false;
  for (const p of spec.phrases) {
    const sim = similarity(occ.words, p.words);
    score = Math.max(score, p.weight * sim);
    if (sim === 1 && p.weight >= 0.75) listed = true;
  }
  // Unless the property lists this very label as a synonym ("Subtotal" for an untaxed amount).
  if (!listed && spec.concept && occ.best && occ.best.concept !== spec.concept.id && occ.best.score >= 0.9 && occ.best.score > score)
    score *= 0.6;
  return score;
}

/** Totals are the last of their kind on an invoice; numbers and dates the first. */
function rankBonus(spec: LeafSpec, list: Candidate[]): Candidate[] {
  const order = [...new Set(list.map((c) => c.occ.id))];
  const n = Math.max(1, order.length - 1);
  const prefer = spec.concept?.prefer;
  for (const c of list) {
    const r = order.indexOf(c.occ.id) / n;
    c.score += prefer === "last" ? 0.1 * r : prefer === "first" ? 0.1 * (1 - r) : 0.03 * (1 - r);
  }
  return list;
}

function candidatesOf(spec: LeafSpec, occ: LabelOcc, ctx: Context): Candidate[] {
  let ls = labelScore(spec, occ);
  if (ls < MIN_LABEL_SCORE) return [];
  if (occ.prose) {
    if (FREE_SHAPES.has(spec.shape)) return [];
    ls *= 0.6;
  }
  const textValue = spec.shape === "text" || spec.shape === "payment_method";
  const out: Candidate[] = [];
  for (const source of sourcesOf(occ, textValue, ctx)) {
    const inline = source.seg === occ.seg && !occ.seg.cell;
    // Free text after a label in mid-line is the rest of a sentence, not a value.
    if (inline && occ.midLine && (textValue || spec.shape === "unit")) continue;
    const hit = readValue(spec, source.text, ctx.doc.dateOrder);
    if (!hit || (inline && NEAR_SHAPES.has(spec.shape) && wordsBefore(source.text, hit.start) > 2)) continue;
    out.push({ spec, occ, hit, seg: source.seg, score: ls * source.factor * hit.quality });
  }
  return out;
}

/** Shapes whose value follows its label closely ("Total (EUR) 12.00", not "total legalization of, 180"). */
const NEAR_SHAPES = new Set(["money", "number", "percent", "date"]);
const wordsBefore = (text: string, at: number): number => (text.slice(0, at).match(/\p{L}{2,}/gu) ?? []).length;

/** The places a label's value may be, best first: inline, the cells or block to its right, the cell or block below. */
function sourcesOf(occ: LabelOcc, textValue: boolean, ctx: Context): Source[] {
  const key = `${occ.id}:${textValue ? 1 : 0}`;
  const cached = ctx.sources.get(key);
  if (cached) return cached;
  const { doc } = ctx;
  const siblings = ctx.bySeg.get(occ.seg.index) ?? [];
  const region = regionOf(occ, siblings, textValue);
  const empty = isEmptyRegion(region);
  // Only a label standing alone (a cell, or a block of nothing but labels) has its value elsewhere.
  const alone = occ.seg.cell !== undefined || onlyLabels(occ.seg, siblings);
  const rights = occ.seg.cell ? rightCells(occ.seg, doc) : empty && alone ? rightOnLine(occ.seg, doc) : [];
  const out: Source[] = [];
  if (!empty) out.push({ seg: occ.seg, text: region, factor: rights.length > 0 ? 0.9 : 1 });
  rights.forEach((seg, i) => out.push({ seg, text: seg.text, factor: i === 0 ? 0.95 : 0.85 }));
  if (empty && alone) out.push(...below(occ, siblings, doc, ctx.bySeg));
  ctx.sources.set(key, out);
  return out;
}

function onlyLabels(seg: Segment, labels: readonly LabelOcc[]): boolean {
  let rest = seg.text;
  for (const l of [...labels].sort((a, b) => b.start - a.start)) rest = rest.slice(0, l.start) + rest.slice(l.end);
  return !/[\p{L}\p{N}]{2,}/u.test(rest);
}

/**
 * The text after a label up to the next label on its line (text values stop only at a colon
 * label). A text value also runs on over following lines that hold no label: a wrapped value.
 */
function regionOf(occ: LabelOcc, siblings: readonly LabelOcc[], textValue: boolean): string {
  const text = occ.seg.text;
  const lineEnd = (from: number) => {
    const e = text.indexOf("\n", from);
    return e < 0 ? text.length : e;
  };
  const labelIn = (from: number, to: number, any: boolean) =>
    siblings.find((s) => s.start >= from && s.start < to && (any || !textValue || s.colon));
  let end = lineEnd(occ.valueStart);
  const stop = labelIn(occ.valueStart, end, false);
  if (stop) return text.slice(occ.valueStart, stop.start);
  while (textValue && end < text.length) {
    const next = lineEnd(end + 1);
    if (labelIn(end + 1, next, true) || text.slice(end + 1, next).trim() === "") break;
    end = next;
  }
  return text.slice(occ.valueStart, end);
}

/** Nothing but separators: the value is elsewhere (right, below). A check mark is a value. */
const isEmptyRegion = (region: string): boolean => !/[^\s:;,.\-–—|_=]/u.test(region);

function rightCells(seg: Segment, doc: Doc): Segment[] {
  const cell = seg.cell;
  if (!cell) return [];
  const row = doc.tables[cell.table]?.rows[cell.row] ?? [];
  return row
    .map((i) => doc.segments[i])
    .filter((s): s is Segment => s?.cell !== undefined && s.cell.col > cell.col)
    .slice(0, 2);
}

function rightOnLine(seg: Segment, doc: Doc): Segment[] {
  return (doc.byPage.get(seg.page) ?? [])
    .filter((s) => s !== seg && sameLine(s, seg) && s.bbox[0] >= seg.bbox[2] - 0.005 && s.bbox[0] - seg.bbox[2] <= 0.3)
    .sort((a, b) => a.bbox[0] - b.bbox[0])
    .slice(0, 1);
}

/** The value under a label: the cell below, or the nearest block below, split when several labels share a line. */
function below(occ: LabelOcc, siblings: readonly LabelOcc[], doc: Doc, bySeg: Map<number, LabelOcc[]>): Source[] {
  const header = siblings.length >= 3 || (occ.seg.cell !== undefined && rowLabelCount(occ.seg, doc, bySeg) >= 3);
  const factor = header ? 0.6 : 0.85;
  if (occ.seg.cell) {
    const cell = cellBelow(occ.seg, doc);
    return cell ? [{ seg: cell, text: cell.text, factor }] : [];
  }
  const [x0, x1] = siblings.length > 1 ? charSpan(occ.seg, occ.start, occ.end) : [occ.seg.bbox[0], occ.seg.bbox[2]];
  const seg = blockBelow(occ.seg, x0 - 0.02, x1 + 0.02, doc);
  if (!seg) return [];
  const empties = siblings.filter((s) => isEmptyRegion(regionOf(s, siblings, true)));
  if (empties.length < 2) return [{ seg, text: seg.text, factor }];
  const atoms = splitAtoms(seg.text, empties.length, doc);
  const atom = atoms?.[empties.indexOf(occ)];
  return atom ? [{ seg, text: atom, factor }] : [];
}

function rowLabelCount(seg: Segment, doc: Doc, bySeg: Map<number, LabelOcc[]>): number {
  const cell = seg.cell;
  if (!cell) return 0;
  return (doc.tables[cell.table]?.rows[cell.row] ?? []).filter((i) => (bySeg.get(i) ?? []).length > 0).length;
}

function cellBelow(seg: Segment, doc: Doc): Segment | undefined {
  const cell = seg.cell;
  if (!cell) return undefined;
  const table = doc.tables[cell.table];
  for (let r = cell.row + cell.rowSpan; table && r < Math.min(table.rows.length, cell.row + cell.rowSpan + 2); r++) {
    for (const i of table.rows[r] ?? []) {
      const c = doc.segments[i]?.cell;
      if (c && c.col < cell.col + cell.colSpan && cell.col < c.col + c.colSpan) return doc.segments[i];
    }
  }
  return undefined;
}

function blockBelow(seg: Segment, x0: number, x1: number, doc: Doc): Segment | undefined {
  const maxGap = Math.max(2.5 * doc.lineHeight, 0.02);
  let best: { seg: Segment; gap: number } | undefined;
  for (const s of doc.byPage.get(seg.page) ?? []) {
    if (s === seg) continue;
    const gap = s.bbox[1] - seg.bbox[3];
    if (gap < -0.003 || gap > maxGap || s.bbox[2] < x0 || s.bbox[0] > x1) continue;
    if (!best || gap < best.gap) best = { seg: s, gap };
  }
  return best?.seg;
}

/** Splits a row of values into `k` parts: by dates, else numbers, else words; undefined when the count differs. */
function splitAtoms(text: string, k: number, doc: Doc): string[] | undefined {
  const spans: Array<Array<{ start: number; end: number }>> = [
    findDates(text, doc.dateOrder),
    findNumbers(text),
    [...text.matchAll(/\S+/gu)].map((m) => ({ start: m.index, end: m.index + m[0].length })),
  ];
  const fit = spans.find((s) => s.length === k);
  return fit?.map((s) => text.slice(s.start, s.end));
}
