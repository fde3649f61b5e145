/** Page lists as the ranges people write: [1, 2, 3, 7] ↔ "1-3,7". */

/** Sorted, de-duplicated pages → "1-3,7", the form SplitSectionResult.page_ranges is read in. */
export function toRanges(pages: Iterable<number>): string {
  const sorted = [...new Set(pages)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(",");
}

/** "1-3,7" → [1, 2, 3, 7]; for tests and for callers that receive ranges. Throws on text that is not ranges. */
export function fromRanges(ranges: string): number[] {
  const out = new Set<number>();
  for (const part of ranges
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "")) {
    const m = /^(\d+)(?:-(\d+))?$/u.exec(part);
    if (!m) throw new Error(`not a page range: '${part}'`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from) throw new Error(`not a page range: '${part}'`);
    for (let p = from; p <= to; p++) out.add(p);
  }
  return [...out].sort((a, b) => a - b);
}

/** Ascending copy, the order every page list of a SplitOutcome is in. */
export function ascending(pages: Iterable<number>): number[] {
  return [...new Set(pages)].sort((a, b) => a - b);
}
