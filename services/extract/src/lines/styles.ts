import type { Line } from "./lines.js";

/** Document-wide typography: what body text looks like and which sizes mark headings. */
export interface DocumentStyle {
  /** The font size carrying the most characters in the document. */
  bodySize: number;
  /** Sizes larger than the body's that headings use, largest first; level = index + 1. */
  headingSizes: number[];
}

/** A line this much larger than body text is a heading candidate (11 pt over 10 pt, not 10.5 over 10). */
export const HEADING_SIZE_RATIO = 1.1;
/** A size used for more than this share of the body's characters is a second body font, not a heading. */
const MAX_HEADING_CHAR_SHARE = 0.5;
/** Markdown stops at h6. */
export const MAX_LEVEL = 6;

/** Sizes are compared at half-point precision: producers jitter sizes (11.955 vs 12). */
export const roundSize = (size: number): number => Math.round(size * 2) / 2;

/** Measures the body size and the heading sizes over every line of the document. */
export function analyzeStyle(lines: Iterable<Line>): DocumentStyle {
  const chars = new Map<number, number>();
  for (const line of lines) {
    const size = roundSize(line.fontSize);
    chars.set(size, (chars.get(size) ?? 0) + line.chars);
  }
  const ranked = [...chars].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const [bodySize, bodyChars] = ranked[0] ?? [0, 0];
  const headingSizes = ranked
    .filter(([size, n]) => size >= bodySize * HEADING_SIZE_RATIO && n <= bodyChars * MAX_HEADING_CHAR_SHARE)
    .map(([size]) => size)
    .sort((a, b) => b - a);
  return { bodySize, headingSizes };
}

/**
 * The heading level a line's font suggests: by size rank among the heading sizes, or, for
 * bold text at body size, one level below the smallest enlarged heading (2 at least). Undefined for body
 * text. Whether a block really is a heading also depends on its length (see blocks.ts).
 */
export function headingLevel(line: Line, style: DocumentStyle): number | undefined {
  const size = roundSize(line.fontSize);
  const rank = style.headingSizes.indexOf(size);
  if (rank >= 0) return Math.min(rank + 1, MAX_LEVEL);
  // Bold at (about) body size: section titles in papers and reports. Never level 1: that is
  // the document title, which is set larger than its body.
  if (line.bold && size >= style.bodySize * 0.95) return Math.min(Math.max(2, style.headingSizes.length + 1), MAX_LEVEL);
  return undefined;
}

/** Same size for paragraph purposes: within 10% (a footnote at 8 pt never joins 10 pt body). */
export function sameSize(a: number, b: number): boolean {
  return Math.abs(a - b) <= 0.1 * Math.max(a, b);
}
