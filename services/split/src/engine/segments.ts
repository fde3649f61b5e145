import type { Bm25Score } from "./bm25.js";
import { BOUNDARY_THRESHOLD, type Evidence, type PageBoundary } from "./boundaries.js";
import type { PageFeatures } from "./page-features.js";

/** What a page earns the "none" label in the segmentation, as a share of minScore: only runs that match nothing are carved out for it. */
const NONE_SHARE = 1 / 3;

/** One document of the bundle, as the segmenter cut it, and the section it went to. */
export interface Segment {
  /** 0-based, inclusive. */
  start: number;
  end: number;
  /** Index into the request's sections, or undefined when no section matched well enough. */
  section?: number;
  /** Strength (see strength()) of the best and second-best section on the segment. */
  best: number;
  second: number;
  confidence: number;
  /** The evidence at the segment's first page. */
  evidence: Evidence[];
  /** True when the evidence alone made the cut; false when it took the pages' change of section too. */
  byEvidence: boolean;
}

export interface AssignOptions {
  /** A segment whose best mean score is below this stays unassigned. */
  minScore: number;
  /** A mean score at which the match counts as fully strong, for confidence. */
  strongScore: number;
  /** A cut with no evidence costs this many times the bundle's mean best page score. */
  cutCost: number;
}

/**
 * Cuts the bundle into documents and gives each, whole, to the section its pages score highest
 * on in sum, so the pages of one document stay together even when some (a blank page, a page
 * of figures) say nothing on their own. The cut points are chosen by dynamic programming: each
 * segment earns the summed scores of its best section ("none" earns a third of minScore a page), each cut
 * costs a penalty that the boundary evidence lowers (to nothing at BOUNDARY_THRESHOLD) or raises
 * (page numbers that continue, the same running head). So a cut needs either evidence or a
 * change in what the pages are about strong enough to pay for it.
 */
export function assignSegments(
  pages: readonly PageFeatures[],
  boundaries: readonly PageBoundary[],
  scores: readonly Bm25Score[][],
  sectionCount: number,
  opts: AssignOptions,
): Segment[] {
  const cuts = mergeBlankRuns(bestCuts(pages, boundaries, scores, sectionCount, opts), pages);
  return cuts.map((c) => {
    const content = range(c).filter((i) => !pages[i]!.blank);
    const sums = Array.from({ length: sectionCount }, (_, k) => content.reduce((s, i) => s + (scores[i]?.[k]?.normalized ?? 0), 0));
    const order = sums.map((s, k) => [s, k] as const).sort((a, b) => b[0] - a[0]);
    const best = order[0] ? strength(content, scores, order[0][1]) : 0;
    const second = order[1] ? strength(content, scores, order[1][1]) : 0;
    const b = boundaries[c.start];
    const seg: Segment = {
      start: c.start,
      end: c.end,
      best,
      second,
      confidence: 0,
      evidence: b?.evidence ?? [],
      byEvidence: b?.starts ?? true,
    };
    if (order[0] && order[0][0] > 0 && best >= opts.minScore) {
      seg.section = order[0][1];
      const margin = best > 0 ? (best - second) / best : 0;
      seg.confidence = round2(0.6 * margin + 0.4 * Math.min(1, best / opts.strongScore));
    }
    return seg;
  });
}

/**
 * How well a section matches a document: the mean score of its ⌈√n⌉ best pages. A long document
 * has many pages that say nothing about what it is (figures, a middle chapter, a garbled text
 * layer); its first page or abstract does, and should not be averaged away.
 */
function strength(content: readonly number[], scores: readonly Bm25Score[][], k: number): number {
  if (content.length === 0) return 0;
  const vs = content.map((i) => scores[i]?.[k]?.normalized ?? 0).sort((a, b) => b - a);
  const top = vs.slice(0, Math.ceil(Math.sqrt(vs.length)));
  return top.reduce((a, b) => a + b, 0) / top.length;
}

/** Optimal segmentation: O(pages² × sections) over prefix sums, fine for bundles of a few thousand pages. */
function bestCuts(
  pages: readonly PageFeatures[],
  boundaries: readonly PageBoundary[],
  scores: readonly Bm25Score[][],
  sectionCount: number,
  opts: AssignOptions,
): Array<{ start: number; end: number }> {
  const n = pages.length;
  if (n === 0) return [];
  const labels = sectionCount + 1; // the last label is "none"
  const prefix: Float64Array[] = [new Float64Array(labels)];
  let bestSum = 0;
  let content = 0;
  for (let i = 0; i < n; i++) {
    const row = new Float64Array(labels);
    const prev = prefix[i]!;
    let top = 0;
    for (let k = 0; k < sectionCount; k++) {
      const v = scores[i]?.[k]?.normalized ?? 0;
      row[k] = prev[k]! + v;
      top = Math.max(top, v);
    }
    row[sectionCount] = prev[sectionCount]! + (pages[i]!.blank ? 0 : opts.minScore * NONE_SHARE);
    if (!pages[i]!.blank) [bestSum, content] = [bestSum + top, content + 1];
    prefix.push(row);
  }
  const penalty = opts.cutCost * Math.max(opts.minScore, content > 0 ? bestSum / content : 0);
  const cost = Array.from({ length: n }, (_, i): number => {
    const b = boundaries[i];
    if (i === 0) return 0;
    if (!b) return Infinity;
    const e = Math.max(-2 * BOUNDARY_THRESHOLD, Math.min(1.5 * BOUNDARY_THRESHOLD, b.score));
    return penalty * (1 - e / BOUNDARY_THRESHOLD);
  });
  const best = new Float64Array(n + 1).fill(-Infinity);
  const from = new Int32Array(n + 1);
  best[0] = 0;
  for (let j = 1; j <= n; j++) {
    const pj = prefix[j]!;
    for (let i = 0; i < j; i++) {
      const c = cost[i]!;
      if (c === Infinity || best[i] === -Infinity) continue;
      const pi = prefix[i]!;
      let gain = -Infinity;
      for (let k = 0; k < labels; k++) gain = Math.max(gain, pj[k]! - pi[k]!);
      const v = best[i]! - c + gain;
      if (v > best[j]!) [best[j], from[j]] = [v, i];
    }
  }
  const out: Array<{ start: number; end: number }> = [];
  for (let j = n; j > 0; j = from[j]!) out.unshift({ start: from[j]!, end: j - 1 });
  return out;
}

/** A segment of blank pages only is no document: it joins the one before it (the one after, at the start). */
function mergeBlankRuns(
  cuts: Array<{ start: number; end: number }>,
  pages: readonly PageFeatures[],
): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  for (const c of cuts) {
    const last = out[out.length - 1];
    if (last && range(c).every((i) => pages[i]!.blank)) last.end = c.end;
    else if (last && range(last).every((i) => pages[i]!.blank)) last.end = c.end;
    else out.push({ ...c });
  }
  return out;
}

export function range(c: { start: number; end: number }): number[] {
  const out: number[] = [];
  for (let i = c.start; i <= c.end; i++) out.push(i);
  return out;
}

export const round2 = (x: number): number => Math.round(x * 100) / 100;
