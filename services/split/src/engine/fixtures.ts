import type { Block, BlockType, ExtractionPage } from "@quire/contracts";
import type { SplitInput } from "./types.js";

/** One page of a hand-built bundle: plain text lines, or blocks with a type. */
export interface FixturePage {
  /** Each entry is one block; "# text" is a title, "## text" a heading, "^ text" a header, "_ text" a footer, "@ text" a page_number. */
  lines: string[];
  width?: number;
  height?: number;
}

const MARKS: Array<[string, BlockType]> = [
  ["## ", "heading"],
  ["# ", "title"],
  ["^ ", "header"],
  ["_ ", "footer"],
  ["@ ", "page_number"],
];

/**
 * Builds a SplitInput from page texts, for tests and examples: blocks are stacked top to
 * bottom; header blocks sit in the top band, footers and page numbers in the bottom one.
 */
export function extractionFromPages(pages: ReadonlyArray<FixturePage | string[]>): SplitInput {
  const out: ExtractionPage[] = pages.map((pg, n) => {
    const spec: FixturePage = Array.isArray(pg) ? { lines: pg } : pg;
    const body = spec.lines.filter((l) => !/^[\^_@] /u.test(l));
    const step = 0.75 / Math.max(1, body.length);
    let y = 0.12;
    let bottom = 0.94;
    const blocks: Block[] = spec.lines.map((line, i) => {
      const mark = MARKS.find(([m]) => line.startsWith(m));
      const type: BlockType = mark?.[1] ?? "paragraph";
      const text = mark ? line.slice(mark[0].length) : line;
      let bbox: Block["bbox"];
      if (type === "header") bbox = [0.1, 0.03, 0.9, 0.05];
      else if (type === "footer" || type === "page_number") {
        bbox = [0.1, bottom, 0.9, bottom + 0.02];
        bottom += 0.025;
      } else {
        bbox = [0.1, y, 0.9, y + step * 0.8];
        y += step;
      }
      return {
        id: `p${n + 1}-b${i}`,
        type,
        text,
        bbox,
        ...(type === "title" || type === "heading" ? { level: type === "title" ? 1 : 2 } : {}),
      };
    });
    return { page_number: n + 1, width: spec.width ?? 612, height: spec.height ?? 792, ocr: false, blocks };
  });
  return { pages: out, page_count: out.length };
}
