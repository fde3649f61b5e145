/**
 * Arrays of objects (line items) from the page geometry: under the header line, each text
 * line is a row; its numbers are aligned to the numeric columns in order (nearest title when
 * a cell is empty), its words go to the nearest text column. Works the same for a real table
 * and for a table the extraction broke into blocks, since both keep their boxes; a block of
 * several printed lines (a column of names set as one paragraph) is read line by line.
 */
import { findDates, findNumbers } from "./coerce.js";
import { charSpan, overlapRatio, type Doc, type Segment } from "./document.js";
import type { LeafSpec } from "./fields.js";
import { findItemHeader, textLines, type Column } from "./item-header.js";
import type { LabelOcc } from "./labels.js";
import type { Filled } from "./scalars.js";
import { nameWords } from "./text.js";
import { readValue } from "./values.js";

interface Atom {
  kind: "number" | "text" | "code";
  text: string;
  /** Span in the segment's text, and the estimated horizontal centre on the page. */
  start: number;
  end: number;
  x: number;
  seg: Segment;
}

const SUMMARY = new Set(["total", "net_amount", "subtotal", "tax_amount"]);
const SKIPPED_ATOM_COST = 0.3;

/** The items of one array property, in page order; each maps item properties to what was found. */
export function fillItems(specs: readonly LeafSpec[], doc: Doc, labels: readonly LabelOcc[]): Array<Map<LeafSpec, Filled>> {
  const header = findItemHeader(specs, doc);
  if (!header) return [];
  const items: Array<Map<LeafSpec, Filled>> = [];
  let lastBottom = header.bottom;
  for (const line of bodyLines(header.page, header.bottom, header.segs, doc)) {
    const top = Math.min(...line.map((s) => s.bbox[1]));
    if (items.length > 0 && top - lastBottom > 10 * doc.lineHeight) break;
    const summary = summaryConcept(line, labels);
    if (summary === "total") break;
    if (summary) continue;
    const item = parseRow(line, header.columns, specs, doc);
    const last = items.at(-1);
    if (item) items.push(item);
    else if (!last || !continues(last, line, top - lastBottom, header.columns, doc)) continue;
    lastBottom = Math.max(...line.map((s) => s.bbox[3]));
  }
  return items;
}

/**
 * A line holding only one piece of text, right under an item, continues that item's
 * description: a table row with one description cell (a wrapped line, appended on a line of
 * its own), or the next printed line of the block the description was read from when that
 * block wrapped there (appended with a space). A line that would have fitted after the one
 * before it was broken on purpose ("Serial number: …" under a name) and is not appended.
 */
function continues(item: Map<LeafSpec, Filled>, line: readonly Segment[], gap: number, columns: readonly Column[], doc: Doc): boolean {
  const [seg] = line;
  if (line.length !== 1 || !seg || gap > 1.5 * doc.lineHeight || findNumbers(seg.text).length > 0) return false;
  for (const [spec, f] of item) {
    if (spec.shape !== "text" || typeof f.value !== "string") continue;
    if (seg.cell) {
      if (!f.segs.some((s) => s.cell?.table === seg.cell?.table && s.cell?.col === seg.cell?.col)) continue;
      item.set(spec, { ...f, value: `${f.value}\n${seg.text}`, segs: [...f.segs, seg] });
      return true;
    }
    const block = seg.citeAs?.lines;
    const before = block?.[block.indexOf(seg) - 1];
    if (!before || !f.segs.includes(before) || !wraps(before, seg, rightLimit(spec, columns, before))) continue;
    item.set(spec, { ...f, value: `${f.value} ${seg.text}`, segs: [...f.segs, seg] });
    return true;
  }
  return false;
}

/** Where a line of the text column must stop: the left edge of the next column to its right, else the block's right edge. */
function rightLimit(spec: LeafSpec, columns: readonly Column[], line: Segment): number {
  const own = columns.find((c) => c.spec === spec);
  const right = columns.filter((c) => c !== own && c.x0 > Math.max(own?.x1 ?? line.bbox[0], line.bbox[0])).map((c) => c.x0);
  return right.length > 0 ? Math.min(...right) : (line.citeAs ?? line).bbox[2];
}

/**
 * A soft wrap: the next line's first word (and a space) would not have fitted after the line
 * before it, within two characters of the limit. Character widths are the next line's average.
 */
function wraps(before: Segment, next: Segment, limit: number): boolean {
  const charWidth = (next.bbox[2] - next.bbox[0]) / Math.max(1, next.text.length);
  const firstWord = next.text.split(/\s+/u)[0] ?? "";
  return before.bbox[2] + (firstWord.length + 1) * charWidth >= limit - 2 * charWidth;
}

/**
 * Lines under the header. A block whose printed lines the extraction gives is read line by
 * line, each line on the row it sits on. Without them, a block taller than two lines joins the
 * one row it overlaps; one overlapping several rows is split there when its text has one line
 * per row, else left out (which part of it belongs to which row cannot be told).
 */
function bodyLines(page: number, bottom: number, headerSegs: readonly Segment[], doc: Doc): Segment[][] {
  const body = doc.segments
    .filter((s) => s.page === page && !headerSegs.includes(s))
    .flatMap((s) => (!s.cell && s.lines ? s.lines : [s]))
    .filter((s) => s.bbox[1] >= bottom - 0.002);
  const tall = (s: Segment) => !s.cell && !s.citeAs && s.bbox[3] - s.bbox[1] > 2 * doc.lineHeight;
  const lines = textLines(
    doc,
    body.filter((s) => !tall(s)),
  );
  for (const seg of body.filter(tall)) {
    const hits = lines.filter((l) => {
      const [y0, y1] = [Math.min(...l.map((s) => s.bbox[1])), Math.max(...l.map((s) => s.bbox[3]))];
      return overlapRatio(seg.bbox[1], seg.bbox[3], y0, y1) >= 0.5;
    });
    const parts = seg.text.split("\n");
    if (hits.length === 1) hits[0]?.push(seg);
    else if (hits.length > 1 && parts.length === hits.length) hits.forEach((l, i) => l.push(linePart(seg, parts, i)));
  }
  return lines;
}

/** Line `i` of a multi-line block as a segment of its own, cited as the whole block. */
function linePart(seg: Segment, parts: readonly string[], i: number): Segment {
  const h = (seg.bbox[3] - seg.bbox[1]) / parts.length;
  return { ...seg, text: parts[i] ?? "", bbox: [seg.bbox[0], seg.bbox[1] + i * h, seg.bbox[2], seg.bbox[1] + (i + 1) * h], citeAs: seg };
}

function summaryConcept(line: readonly Segment[], labels: readonly LabelOcc[]): string | undefined {
  for (const occ of labels) {
    if (!line.includes(occ.seg) || occ.start > 2 || !occ.best || occ.best.score < 0.9) continue;
    if (SUMMARY.has(occ.best.concept)) return occ.best.concept;
  }
  return undefined;
}

function parseRow(
  line: readonly Segment[],
  columns: readonly Column[],
  specs: readonly LeafSpec[],
  doc: Doc,
): Map<LeafSpec, Filled> | undefined {
  const numericCols = columns.filter((c) => c.spec.field.type === "number" || c.spec.field.type === "integer");
  const { assigned, numbers, leftovers } = distribute(line, columns, numericCols, doc);
  numbers.sort((a, b) => a.x - b.x);
  align(numbers, numericCols).forEach((c, i) => {
    const a = numbers[i];
    if (c && a) assigned.set(c, [...(assigned.get(c) ?? []), a]);
  });
  const out = new Map<LeafSpec, Filled>();
  for (const [col, list] of assigned) {
    const hit = readValue(col.spec, joinAtoms(list), doc.dateOrder);
    if (hit)
      out.set(col.spec, { value: hit.value, segs: unique(list.map((a) => a.seg)), confidence: round(col.score * hit.quality * 0.9) });
  }
  // A row is an item when it has a number in a numeric column and, if the item has more than
  // one property, at least one more value: a lone number under a title is not an item.
  const hasNumber = numericCols.length === 0 ? out.size > 0 : numericCols.some((c) => out.has(c.spec));
  if (!hasNumber || (columns.length > 1 && out.size < 2)) return undefined;
  fillFromLeftovers(leftovers, specs, columns, out, doc);
  return out;
}

/**
 * Sends each atom of a row to a column. Numbers go to numeric columns (aligned later) unless
 * they sit inside a text column ("iPad Air 2"); words before a segment's first number belong
 * to the column the segment starts in; words after a number ("1.00 kg") are left over.
 */
function distribute(line: readonly Segment[], columns: readonly Column[], numericCols: readonly Column[], doc: Doc) {
  const assigned = new Map<Column, Atom[]>();
  const numbers: Atom[] = [];
  const leftovers: Atom[] = [];
  const push = (c: Column, a: Atom) => assigned.set(c, [...(assigned.get(c) ?? []), a]);
  const isText = (c: Column | undefined): c is Column => c !== undefined && !numericCols.includes(c);
  for (const seg of line) {
    const home = nearestColumn(seg.cell ? (seg.bbox[0] + seg.bbox[2]) / 2 : seg.bbox[0], columns);
    let afterNumber = false;
    for (const a of atomsOf(seg, doc)) {
      const near = nearestColumn(a.x, columns);
      if (a.kind === "number" && near && !isText(near)) {
        numbers.push(a);
        afterNumber = true;
        continue;
      }
      const target = !afterNumber && isText(home) ? home : near;
      if (a.kind === "code" && !(isText(target) && target.spec.shape === "id")) leftovers.push(a);
      else if (isText(target)) push(target, a);
      else leftovers.push(a);
    }
  }
  return { assigned, numbers, leftovers };
}

/** The text of a column's atoms: per segment, the original text from the first to the last atom; segments left to right. */
function joinAtoms(atoms: readonly Atom[]): string {
  const bySeg = new Map<Segment, Atom[]>();
  for (const a of atoms) bySeg.set(a.seg, [...(bySeg.get(a.seg) ?? []), a]);
  return [...bySeg]
    .sort(([a], [b]) => a.bbox[0] - b.bbox[0])
    .map(([seg, list]) => {
      const start = Math.min(...list.map((a) => a.start));
      const end = Math.max(...list.map((a) => a.end));
      return seg.text.slice(start, end);
    })
    .join(" ");
}

/** A "[CODE]" before a description fills a code property without a column; a word after the quantity ("1.00 kg") its unit. */
function fillFromLeftovers(
  leftovers: readonly Atom[],
  specs: readonly LeafSpec[],
  columns: readonly Column[],
  out: Map<LeafSpec, Filled>,
  doc: Doc,
): void {
  const free = specs.filter((s) => !columns.some((c) => c.spec === s) && !out.has(s));
  for (const a of leftovers) {
    const barcode = a.text.startsWith("*");
    const spec =
      a.kind === "code"
        ? free.find((s) => s.concept?.id === "item_code" && !out.has(s) && barcode === isBarcodeName(s))
        : free.find((s) => s.concept?.id === "unit" && !out.has(s) && /^\p{L}[\p{L}.²³]{0,11}$/u.test(a.text));
    if (!spec) continue;
    const hit = readValue(spec, a.kind === "code" ? a.text.replace(/^[[*]|[\]*]$/gu, "") : a.text, doc.dateOrder);
    if (hit) out.set(spec, { value: hit.value, segs: [a.seg], confidence: round(0.7 * hit.quality) });
  }
}

const isBarcodeName = (s: LeafSpec) => nameWords(s.field.name).some((w) => ["barcode", "ean", "gtin", "upc"].includes(w));

/** Numbers, "[CODE]" / "*CODE*" markers and runs of words of one segment, each with its estimated x centre. */
function atomsOf(seg: Segment, doc: Doc): Atom[] {
  const text = seg.text;
  const spans: Array<{ start: number; end: number; kind: Atom["kind"] }> = [];
  for (const m of text.matchAll(/(?<![\p{L}\p{N}])(\[[^\]\s]{1,40}\]|\*[^*\s]{1,40}\*)/gu))
    spans.push({ start: m.index, end: m.index + m[0].length, kind: "code" });
  const dates = findDates(text, doc.dateOrder);
  for (const d of dates) spans.push({ start: d.start, end: d.end, kind: "text" });
  for (const n of findNumbers(text)) {
    if (!spans.some((s) => n.start < s.end && s.start < n.end)) spans.push({ start: n.start, end: n.end, kind: "number" });
  }
  spans.sort((a, b) => a.start - b.start);
  const atoms: Atom[] = [];
  let at = 0;
  const words = (from: number, to: number) => {
    const chunk = text.slice(from, to);
    const trimmed = chunk.trim();
    if (!/[\p{L}\p{N}]/u.test(trimmed)) return;
    const start = from + chunk.indexOf(trimmed);
    atoms.push(atom("text", trimmed, seg, start, start + trimmed.length));
  };
  for (const s of spans) {
    words(at, s.start);
    atoms.push(atom(s.kind, text.slice(s.start, s.end), seg, s.start, s.end));
    at = s.end;
  }
  words(at, text.length);
  return atoms;
}

function atom(kind: Atom["kind"], text: string, seg: Segment, start: number, end: number): Atom {
  const [x0, x1] = charSpan(seg, start, end);
  return { kind, text, start, end, x: (x0 + x1) / 2, seg };
}

/** Order-keeping assignment of numbers to numeric columns, minimizing horizontal distance; result[i] = column of atom i. */
function align(atoms: readonly Atom[], cols: readonly Column[]): Array<Column | undefined> {
  const n = atoms.length;
  const m = cols.length;
  const cost: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(Infinity));
  const back: Array<Array<"take" | "skipAtom" | "skipCol">> = Array.from({ length: n + 1 }, () =>
    new Array<"take" | "skipAtom" | "skipCol">(m + 1).fill("skipCol"),
  );
  (cost[0] as number[])[0] = 0;
  for (let i = 0; i <= n; i++) {
    for (let j = 0; j <= m; j++) {
      const here = cost[i]?.[j] ?? Infinity;
      if (here === Infinity) continue;
      relax(cost, back, i + 1, j, here + SKIPPED_ATOM_COST, "skipAtom", n, m);
      relax(cost, back, i, j + 1, here, "skipCol", n, m);
      const a = atoms[i];
      const c = cols[j];
      if (a && c) relax(cost, back, i + 1, j + 1, here + distance(a.x, c), "take", n, m);
    }
  }
  const result = new Array<Column | undefined>(n).fill(undefined);
  for (let i = n, j = m; i > 0 || j > 0;) {
    const step = back[i]?.[j];
    if (step === "take") {
      result[i - 1] = cols[j - 1];
      i--;
      j--;
    } else if (step === "skipAtom") i--;
    else j--;
  }
  return result;
}

function relax(
  cost: number[][],
  back: Array<Array<"take" | "skipAtom" | "skipCol">>,
  i: number,
  j: number,
  value: number,
  step: "take" | "skipAtom" | "skipCol",
  n: number,
  m: number,
): void {
  if (i > n || j > m) return;
  const row = cost[i];
  const backRow = back[i];
  if (row && backRow && value < (row[j] ?? Infinity)) {
    row[j] = value;
    backRow[j] = step;
  }
}

const distance = (x: number, c: Column) => (x < c.x0 ? c.x0 - x : x > c.x1 ? x - c.x1 : 0);

function nearestColumn(x: number, columns: readonly Column[]): Column | undefined {
  let best: Column | undefined;
  for (const c of columns) if (!best || distance(x, c) < distance(x, best)) best = c;
  return best;
}

const unique = <T>(list: readonly T[]): T[] => [...new Set(list)];
const round = (v: number) => Math.round(Math.min(1, v) * 100) / 100;
