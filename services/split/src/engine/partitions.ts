import type { SplitPartition } from "@quire/contracts";
import type { PageFeatures } from "./page-features.js";
import { findKeyValue } from "./partition-key.js";
import { toRanges } from "./ranges.js";
import { range, type Segment } from "./segments.js";

/**
 * The partitions of one section: each of its documents (segment) is one, cut further where the
 * key's value changes inside a segment (two invoices the boundary finder did not tell apart);
 * consecutive documents with the same non-empty key merge (one invoice cut in two), different
 * keys stay apart, and a document with no value found gets key "".
 */
export function buildPartitions(segments: readonly Segment[], pages: readonly PageFeatures[], key: string): SplitPartition[] {
  const runs: Array<{ key: string; pages: number[] }> = [];
  for (const seg of segments) {
    let cur: { key: string; pages: number[] } | undefined;
    for (const i of range(seg)) {
      const p = pages[i]!;
      const value = p.blank ? undefined : findKeyValue(p.lines, key)?.value;
      if (!cur || (value !== undefined && cur.key !== "" && value !== cur.key)) {
        cur = { key: value ?? "", pages: [] };
        runs.push(cur);
      } else if (value !== undefined && cur.key === "") cur.key = value;
      cur.pages.push(p.page);
    }
  }
  const merged: Array<{ key: string; pages: number[] }> = [];
  for (const r of runs) {
    const last = merged[merged.length - 1];
    if (last && r.key !== "" && last.key === r.key) last.pages.push(...r.pages);
    else merged.push({ key: r.key, pages: [...r.pages] });
  }
  return merged.map((r) => {
    const ps = [...new Set(r.pages)].sort((a, b) => a - b);
    return { key: r.key, pages: ps, page_ranges: toRanges(ps) };
  });
}
