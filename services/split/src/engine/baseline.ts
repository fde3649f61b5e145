import type { SplitSectionResult } from "@quire/contracts";
import { bm25Index } from "./bm25.js";
import { MIN_SEGMENT_SCORE } from "./deterministic.js";
import { pageFeatures } from "./page-features.js";
import { ascending, toRanges } from "./ranges.js";
import { scorePages, sectionQueries } from "./scoring.js";
import type { SplitInput, SplitOutcome, SplitRequest } from "./types.js";

/**
 * The naive split the deterministic engine is measured against: each page alone to the section
 * it scores best on, by the same BM25 and the same minimum score, with no boundaries and no
 * smoothing. Kept so the benchmark shows what the document-level reasoning adds.
 */
export function splitPageByPage(input: SplitInput, req: SplitRequest): SplitOutcome {
  const pages = [...input.pages].sort((a, b) => a.page_number - b.page_number).map(pageFeatures);
  const queries = sectionQueries(req.sections);
  const scores = scorePages(bm25Index(pages.map((p) => p.bag)), queries);
  const owner = scores.map((row) => {
    let best = -1;
    row.forEach((s, k) => {
      if (s.normalized >= MIN_SEGMENT_SCORE && (best < 0 || s.normalized > row[best]!.normalized)) best = k;
    });
    return best;
  });
  const splits = req.sections.map((s, k): SplitSectionResult => {
    const mine = ascending(pages.filter((_, i) => owner[i] === k).map((p) => p.page));
    return {
      name: s.name,
      pages: mine,
      page_ranges: toRanges(mine),
      confidence: mine.length ? 0.5 : 0,
      reason: "baseline: best-scoring section per page",
    };
  });
  return { splits, unassigned_pages: ascending(pages.filter((_, i) => owner[i] === -1).map((p) => p.page)) };
}
