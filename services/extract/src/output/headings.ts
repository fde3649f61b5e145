import type { ExtractionPage } from "@quire/contracts";
import { MAX_LEVEL } from "../lines/styles.js";

/**
 * A document has one title. Level 1 is the largest heading font; when more than one block
 * is set in it, those are top-level sections, not titles: they become headings and every
 * heading moves down a level, so the markdown keeps a single `#`-less outline under `##`.
 * Runs once over the whole document, since a page alone cannot tell.
 */
export function settleTitles(pages: readonly ExtractionPage[]): void {
  const blocks = pages.flatMap((p) => p.blocks);
  const titles = blocks.filter((b) => b.type === "title");
  if (titles.length <= 1) return;
  for (const b of blocks) {
    if (b.type !== "title" && b.type !== "heading") continue;
    b.type = "heading";
    b.level = Math.min((b.level ?? 1) + 1, MAX_LEVEL);
  }
}
