/**
 * Finds the header line of a line-items table: the text line whose words name the most item
 * properties ("Description | Quantity | Unit Price Disc.% Taxes Amount"). A header cell or
 * block may hold several column titles; they are split by the best segmentation of its words,
 * and each title gets the horizontal span its characters cover.
 */
import { charSpan, sameLine, type Doc, type Segment } from "./document.js";
import type { LeafSpec } from "./fields.js";
import { bestConcept } from "./labels.js";
import { labelScore } from "./scalars.js";
import { canonical, tokenize } from "./text.js";

/** One column title of a line-items header: the item property it names and its horizontal span. */
export interface Column {
  spec: LeafSpec;
  x0: number;
  x1: number;
  score: number;
  seg: Segment;
}

/** The header line of a line-items table. */
export interface ItemHeader {
  page: number;
  /** Bottom of the header line, in page-height units. */
  bottom: number;
  segs: Segment[];
  columns: Column[];
}

const MIN_TITLE_SCORE = 0.6;
const MAX_TITLE_TOKENS = 4;
/** Column titles are short; a longer segment is text, not a header. */
const MAX_HEADER_CHARS = 160;

/** The best header for these item properties, or undefined when no line names at least two of them (one, for a one-property item). */
export function findItemHeader(specs: readonly LeafSpec[], doc: Doc): ItemHeader | undefined {
  const need = Math.min(2, specs.length);
  let best: { header: ItemHeader; total: number } | undefined;
  for (const line of textLines(doc)) {
    const columns = dedupe(line.flatMap((seg) => titlesOf(seg, specs)));
    if (columns.length < need) continue;
    const total = columns.reduce((sum, c) => sum + c.score, 0);
    if (best && (columns.length < best.header.columns.length || (columns.length === best.header.columns.length && total <= best.total)))
      continue;
    const first = line[0];
    if (!first) continue;
    best = {
      header: {
        page: first.page,
        bottom: Math.max(...line.map((s) => s.bbox[3])),
        segs: line,
        columns: columns.sort((a, b) => a.x0 - b.x0),
      },
      total,
    };
  }
  return best?.header;
}

/** Segments grouped into visual lines (same page, vertical overlap), top to bottom. */
export function textLines(doc: Doc, segments: readonly Segment[] = doc.segments): Segment[][] {
  const lines: Segment[][] = [];
  const sorted = [...segments].sort((a, b) => a.page - b.page || a.bbox[1] - b.bbox[1]);
  for (const seg of sorted) {
    // Sorted by page and top: only the last few lines can still overlap this segment.
    const line = lines.slice(-4).find((l) => l.some((s) => sameLine(s, seg)));
    if (line) line.push(seg);
    else lines.push([seg]);
  }
  for (const l of lines) l.sort((a, b) => a.bbox[0] - b.bbox[0]);
  return lines;
}

/** Column titles in one segment: the segmentation of its words that names the most properties. */
function titlesOf(seg: Segment, specs: readonly LeafSpec[]): Column[] {
  if (/\d[.,]\d/u.test(seg.text) || seg.text.length > MAX_HEADER_CHARS) return [];
  const tokens = tokenize(seg.text);
  const memo = new Map<number, Column[]>();
  const solve = (i: number): Column[] => {
    if (i >= tokens.length) return [];
    const cached = memo.get(i);
    if (cached) return cached;
    let best = solve(i + 1);
    for (let j = i; j < Math.min(tokens.length, i + MAX_TITLE_TOKENS); j++) {
      const match = bestSpec(canonical(tokens.slice(i, j + 1).map((t) => t.word)), specs);
      if (!match) continue;
      const [x0, x1] = charSpan(seg, tokens[i]?.start ?? 0, tokens[j]?.end ?? 0);
      const rest = solve(j + 1);
      const candidate = [{ spec: match.spec, x0, x1, score: match.score, seg }, ...rest];
      if (better(candidate, best)) best = candidate;
    }
    memo.set(i, best);
    return best;
  };
  return solve(0);
}

const better = (a: Column[], b: Column[]) => a.length > b.length || (a.length === b.length && sum(a) > sum(b));
const sum = (cols: Column[]) => cols.reduce((s, c) => s + c.score, 0);

function bestSpec(words: string[], specs: readonly LeafSpec[]): { spec: LeafSpec; score: number } | undefined {
  if (words.length === 0) return undefined;
  const occ = { words, ...bestConcept(words, "item") };
  let best: { spec: LeafSpec; score: number } | undefined;
  for (const spec of specs) {
    const score = labelScore(spec, occ);
    if (score >= MIN_TITLE_SCORE && (!best || score > best.score)) best = { spec, score };
  }
  return best;
}

/** One column per property: the best-scoring title. */
function dedupe(columns: Column[]): Column[] {
  const bySpec = new Map<LeafSpec, Column>();
  for (const c of columns) {
    const had = bySpec.get(c.spec);
    if (!had || c.score > had.score) bySpec.set(c.spec, c);
  }
  return [...bySpec.values()];
}
