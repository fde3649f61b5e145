import type { Extraction, ParsedDocument, Table, JobTimings } from "@quire/contracts";
import { buildChunks, type ChunkOptions } from "./output/chunks.js";
import { linkContinuations } from "./output/continuation.js";
import { findFurniture } from "./layout/furniture.js";
import { settleHeadings } from "./output/headings.js";
import { groupLines } from "./lines/lines.js";
import { blocksToMarkdown, type MarkdownOptions } from "./output/markdown.js";
import { layOutPage, type LaidOutPage } from "./layout/page-layout.js";
import { analyzeStyle } from "./lines/styles.js";
import type { TableFormat } from "./tables/table-render.js";

export interface ExtractionOptions {
  extractionId: string;
  /** The parse artifact was reused from the cache (reported in `usage`). */
  cachedParse: boolean;
  /** The job's timings so far (`usage.timings`); the library use without a job has none. */
  timings?: JobTimings;
  /** How tables appear in the markdown. @default "markdown" */
  tables?: TableFormat;
  /** How the extraction is cut into chunks. @default one chunk per page */
  chunking?: ChunkOptions;
}

export type { LaidOutPage } from "./layout/page-layout.js";

/**
 * Lays out every page of a parsed document, one page per iteration, so a caller can do
 * async work (cancellation checks, progress) between pages. Body and heading sizes, and
 * the running headers and footers, are measured over the whole document first: a page of
 * headings alone cannot tell which is body, nor a page alone what repeats.
 */
export function* extractPages(parsed: ParsedDocument): Generator<LaidOutPage, void, undefined> {
  const linesPerPage = parsed.pages.map((page) => groupLines(page.items));
  const style = analyzeStyle(linesPerPage.flat());
  const furniture = findFurniture(
    parsed.pages.map((p, i) => ({ lines: linesPerPage[i] ?? [], width: p.width, height: p.height, pageCount: parsed.pages.length })),
    style,
  );
  for (const [i, page] of parsed.pages.entries()) {
    yield layOutPage(page, linesPerPage[i] ?? [], furniture[i] ?? new Map(), style);
  }
}

/**
 * Puts laid-out pages together into the extraction the user sees: paragraphs broken across
 * columns and pages linked, the markdown, the tables, the chunks.
 */
export function assembleExtraction(laidOut: readonly LaidOutPage[], opts: ExtractionOptions): Extraction {
  settleHeadings(
    laidOut.map((p) => p.drafts),
    laidOut[0]?.bodySize ?? 0,
  );
  linkContinuations(laidOut.map((p) => p.drafts));
  const pages = laidOut.map((p) => p.page);
  const tables: Table[] = laidOut.flatMap((p) => p.tables);
  const md: MarkdownOptions = { tables: opts.tables ?? "markdown", tablesByBlock: new Map(tables.map((t) => [t.block_id, t])) };
  return {
    extraction_id: opts.extractionId,
    markdown: blocksToMarkdown(
      pages.flatMap((p) => p.blocks),
      md,
    ),
    page_count: pages.length,
    pages,
    tables,
    chunks: buildChunks(pages, opts.chunking ?? {}, md),
    usage: { pages: pages.length, cached_parse: opts.cachedParse, ...(opts.timings ? { timings: opts.timings } : {}) },
  };
}

/** The whole extraction in one call, for callers with nothing to do between pages. */
export function buildExtraction(parsed: ParsedDocument, opts: ExtractionOptions): Extraction {
  return assembleExtraction([...extractPages(parsed)], opts);
}
