import type { SplitSectionResult } from "@quire/contracts";
import { bm25Index, type Bm25Score } from "./bm25.js";
import { findBoundaries } from "./boundaries.js";
import { pageFeatures, type PageFeatures } from "./page-features.js";
import { buildPartitions } from "./partitions.js";
import { ascending, toRanges } from "./ranges.js";
import { scorePages, sectionQueries, type SectionQuery } from "./scoring.js";
import { assignSegments, range, round2, type Segment } from "./segments.js";
import type { SplitInput, SplitOutcome, SplitRequest } from "./types.js";

/** Normalized BM25 (share of the best a page could score on the section) below which a document is not claimed. */
export const MIN_SEGMENT_SCORE = 0.02;
/** A mean score at which confidence stops growing with the score. */
const STRONG_SCORE = 0.15;
/** A cut without evidence must be paid for by this many mean best page scores of gain. */
const CUT_COST = 2;

/**
 * Splits a bundle offline: scores every page against every section with BM25, cuts the bundle
 * into documents from generic evidence (page-number resets, running heads, page size, script,
 * titles, vocabulary), gives each document whole to its best section or leaves it unassigned
 * when nothing matches well, and keys partitions. Deterministic: the same input gives the same
 * answer, with no network and nothing tuned to a particular document.
 */
export function splitDeterministic(input: SplitInput, req: SplitRequest): SplitOutcome {
  const pages = [...input.pages].sort((a, b) => a.page_number - b.page_number).map(pageFeatures);
  const queries = sectionQueries(req.sections);
  const index = bm25Index(pages.map((p) => p.bag));
  const scores = scorePages(index, queries);
  const boundaries = findBoundaries(pages, { idf: index.idf });
  const segments = assignSegments(pages, boundaries, scores, queries.length, {
    minScore: MIN_SEGMENT_SCORE,
    strongScore: STRONG_SCORE,
    cutCost: CUT_COST,
  });
  const splits = req.sections.map((s, k): SplitSectionResult => {
    const mine = segments.filter((g) => g.section === k);
    const pageNumbers = ascending(mine.flatMap((g) => range(g).map((i) => pages[i]!.page)));
    const result: SplitSectionResult = {
      name: s.name,
      pages: pageNumbers,
      page_ranges: toRanges(pageNumbers),
      confidence: confidenceOf(mine, pages),
      reason: mine.length > 0 ? reasonFor(mine, pages, scores, k, queries[k]!) : emptyReason(segments, scores, k, pages),
    };
    if (s.partition_key !== undefined) result.partitions = buildPartitions(mine, pages, s.partition_key);
    return result;
  });
  const claimed = new Set(splits.flatMap((s) => s.pages));
  const unassigned = ascending(pages.map((p) => p.page).filter((p) => !claimed.has(p)));
  return { splits, unassigned_pages: unassigned };
}

/** Page-weighted mean of the segments' confidences. */
function confidenceOf(segs: readonly Segment[], pages: readonly PageFeatures[]): number {
  let w = 0;
  let sum = 0;
  for (const g of segs) {
    const n = range(g).filter((i) => !pages[i]!.blank).length || 1;
    w += n;
    sum += n * g.confidence;
  }
  return w > 0 ? round2(sum / w) : 0;
}

/** "matched 'invoice', 'total' on pages 1-2,5; boundary at page 5: 'Page 1 of 2' reset". */
function reasonFor(
  segs: readonly Segment[],
  pages: readonly PageFeatures[],
  scores: readonly Bm25Score[][],
  k: number,
  q: SectionQuery,
): string {
  const contribution = new Map<string, number>();
  const idx = segs.flatMap((g) => range(g));
  for (const i of idx) for (const h of scores[i]?.[k]?.hits ?? []) contribution.set(h.term, (contribution.get(h.term) ?? 0) + h.score);
  const top = [...contribution]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([t]) => `'${q.surface.get(t) ?? t}'`);
  const where = toRanges(idx.map((i) => pages[i]!.page));
  const parts = [top.length > 0 ? `matched ${top.join(", ")} on pages ${where}` : `pages ${where} kept with their document`];
  const starts = segs
    .filter((g) => g.start > 0)
    .slice(0, 3)
    .map((g) => `boundary at page ${pages[g.start]!.page}: ${evidenceText(g)}`);
  parts.push(...starts);
  if (segs.filter((g) => g.start > 0).length > 3) parts.push("…");
  return parts.join("; ");
}

/** The two strongest reasons for a boundary, in words; a cut the evidence alone did not make also names the change of content. */
function evidenceText(g: Segment): string {
  const said = [...g.evidence]
    .filter((e) => e.weight > 0)
    .sort((a, b) => b.weight - a.weight)
    .slice(0, 2)
    .map((e) => e.label);
  if (!g.byEvidence) said.push("the pages match another section from here");
  return said.join(", ");
}

function emptyReason(segments: readonly Segment[], scores: readonly Bm25Score[][], k: number, pages: readonly PageFeatures[]): string {
  let best = 0;
  let at = -1;
  scores.forEach((row, i) => {
    const s = row[k]?.normalized ?? 0;
    if (s > best) [best, at] = [s, i];
  });
  if (at < 0) return "no page shares a word with the section's name or description";
  const seg = segments.find((g) => g.start <= at && at <= g.end);
  const owner = seg?.section === undefined ? "below the threshold" : "claimed by a better-matching section";
  return `no document matched well enough: best page ${pages[at]?.page ?? at + 1} scored ${best.toFixed(3)} (${owner})`;
}
