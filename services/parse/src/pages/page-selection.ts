// Page selections like "1-3,7". Dependency-free on purpose: the PDF child process imports it,
// and pulling @quire/runtime (NATS, gRPC) into every child would slow each parse's start-up.

/** An inclusive, 1-based page range. */
export interface PageRange {
  from: number;
  to: number;
}

/** A user error in the selection; the parent turns it into QuireError(INVALID_ARGUMENT). */
export class PageSelectionError extends Error {
  override name = "PageSelectionError";
  readonly code = "INVALID_ARGUMENT";
}

const MAX_SPEC_LENGTH = 1_000;
const PART = /^(\d{1,7})(?:\s*-\s*(\d{1,7}))?$/;

/**
 * Parses the syntax only (the page count is not known yet): comma-separated page numbers or
 * ranges, 1-based, each range ascending. An empty or blank selection means "all pages" → [].
 */
export function parsePageSelection(spec: string): PageRange[] {
  const trimmed = spec.trim();
  if (trimmed === "") return [];
  if (trimmed.length > MAX_SPEC_LENGTH) {
    throw new PageSelectionError(`pages: the selection is longer than ${MAX_SPEC_LENGTH} characters`);
  }
  return trimmed.split(",").map((raw) => parsePart(raw.trim(), spec));
}

function parsePart(part: string, spec: string): PageRange {
  const m = PART.exec(part);
  if (!m) {
    throw new PageSelectionError(`pages: "${part}" in "${spec}" is not a page or a range; use page numbers and ranges like "1-3,7"`);
  }
  const from = Number(m[1]);
  const to = m[2] === undefined ? from : Number(m[2]);
  if (from < 1) throw new PageSelectionError(`pages: page numbers start at 1 (got "${part}")`);
  if (to < from) throw new PageSelectionError(`pages: the range "${part}" runs backwards; write it as "${to}-${from}"`);
  return { from, to };
}

/** Sorted, merged ranges: equal selections get equal forms (used in the cache key). */
export function normalizeRanges(ranges: readonly PageRange[]): PageRange[] {
  const sorted = [...ranges].sort((a, b) => a.from - b.from);
  const out: PageRange[] = [];
  for (const r of sorted) {
    const last = out.at(-1);
    if (last && r.from <= last.to + 1) last.to = Math.max(last.to, r.to);
    else out.push({ ...r });
  }
  return out;
}

/** "1-3,7"; "" for all pages. */
export function formatRanges(ranges: readonly PageRange[]): string {
  return normalizeRanges(ranges)
    .map((r) => (r.from === r.to ? String(r.from) : `${r.from}-${r.to}`))
    .join(",");
}

/**
 * The selected page numbers for a document of `pageCount` pages, ascending and unique.
 * No selection means every page. A page past the end is the caller's mistake, not ours.
 */
export function resolvePages(ranges: readonly PageRange[], pageCount: number): number[] {
  if (ranges.length === 0) return Array.from({ length: pageCount }, (_, i) => i + 1);
  const merged = normalizeRanges(ranges);
  const highest = merged.at(-1)?.to ?? 0;
  // Checked before expanding, so "1-9999999" on a 3-page file fails fast instead of allocating.
  if (highest > pageCount) {
    throw new PageSelectionError(`pages: page ${highest} is out of range; the document has ${pageCount} page${pageCount === 1 ? "" : "s"}`);
  }
  const pages: number[] = [];
  for (const r of merged) for (let p = r.from; p <= r.to; p++) pages.push(p);
  return pages;
}
