import type { Chunk, Extraction, ExtractionPage, ParsedDocument } from "@quire/contracts";
import { buildBlocks } from "./blocks.js";
import { groupLines } from "./lines.js";
import { blocksToMarkdown, isContent, pagesToMarkdown } from "./markdown.js";
import { orderLines } from "./reading-order.js";
import { analyzeStyle } from "./styles.js";

export interface ExtractionOptions {
  extractionId: string;
  /** The parse artifact was reused from the cache (reported in `usage`). */
  cachedParse: boolean;
}

/**
 * Lays out every page of a parsed document, one page per iteration, so a caller can do
 * async work (cancellation checks, progress) between pages. Body and heading sizes are
 * measured over the whole document first: a page of headings alone cannot tell which is body.
 */
export function* extractPages(parsed: ParsedDocument): Generator<ExtractionPage, void, undefined> {
  const linesPerPage = parsed.pages.map((page) => groupLines(page.items));
  const style = analyzeStyle(linesPerPage.flat());
  for (const [i, page] of parsed.pages.entries()) {
    const frame = { pageNumber: page.pageNumber, width: page.width, height: page.height };
    const blocks = buildBlocks(orderLines(linesPerPage[i] ?? []), frame, style);
    yield {
      page_number: page.pageNumber,
      width: page.width,
      height: page.height,
      ocr: page.ocr,
      ...(page.ocrReason ? { ocr_reason: page.ocrReason } : {}),
      blocks,
    };
  }
}

/** Puts laid-out pages together into the extraction the user sees. */
export function assembleExtraction(pages: ExtractionPage[], opts: ExtractionOptions): Extraction {
  return {
    extraction_id: opts.extractionId,
    markdown: pagesToMarkdown(pages),
    page_count: pages.length,
    pages,
    chunks: pageChunks(pages),
    usage: { pages: pages.length, cached_parse: opts.cachedParse },
  };
}

/** The whole extraction in one call, for callers with nothing to do between pages. */
export function buildExtraction(parsed: ParsedDocument, opts: ExtractionOptions): Extraction {
  return assembleExtraction([...extractPages(parsed)], opts);
}

/** One chunk per page with content (a page-sized unit until a chunking option exists). */
function pageChunks(pages: readonly ExtractionPage[]): Chunk[] {
  return pages.flatMap((page) => {
    const text = blocksToMarkdown(page.blocks);
    if (text === "") return [];
    return [{ text, pages: [page.page_number], block_ids: page.blocks.filter(isContent).map((b) => b.id) }];
  });
}
