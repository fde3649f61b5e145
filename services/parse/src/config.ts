import { availableParallelism } from "node:os";
import { z } from "zod";
import { baseConfig, baseEnvShape, boolEnv, fetchConfig, fetchEnvShape, parseConfig, positiveInt } from "@quire/runtime";
import type { ParseLimits } from "./pdf/pdf-parser.js";

export const ParseEnv = z
  .object({
    ...baseEnvShape,
    // An async request's file_url is downloaded by the job, here, under the gateway's limits.
    ...fetchEnvShape,
    /** Jobs parsed at once by this process, each in its own child. @default number of cores */
    QUIRE_PARSE_CONCURRENCY: positiveInt("QUIRE_PARSE_CONCURRENCY").default(availableParallelism()),
    /** Wall-clock limit for one document; above it the job fails with DOCUMENT_TOO_COMPLEX. @default 120 s */
    QUIRE_PARSE_TIMEOUT_MS: positiveInt("QUIRE_PARSE_TIMEOUT_MS").default(120_000),
    /** V8 heap cap of the PDF child process (--max-old-space-size). */
    QUIRE_PARSE_MAX_HEAP_MB: positiveInt("QUIRE_PARSE_MAX_HEAP_MB").default(1_024),
    /** Resident-memory cap of the PDF child; also counts decoded buffers the heap cap misses. */
    QUIRE_PARSE_MAX_RSS_MB: positiveInt("QUIRE_PARSE_MAX_RSS_MB").default(1_536),
    /** Most pages one job may select; more fails fast with DOCUMENT_TOO_COMPLEX. */
    QUIRE_PARSE_MAX_PAGES: positiveInt("QUIRE_PARSE_MAX_PAGES").default(5_000),
    /** Read real font names for bold/italic (up to ~1.8× the parse time); false = monospace only. */
    QUIRE_PARSE_FONT_STYLES: boolEnv.default(true),
    /** Keep one sandboxed PDF child started ahead: hides ~0.15 s of start-up when a new child is needed. */
    QUIRE_PARSE_WARM_CHILD: boolEnv.default(true),
    /**
     * Documents one sandboxed PDF child reads before it is replaced; a child only ever reads
     * documents of one tenant, and any failure retires it. 1 = a fresh process per document.
     */
    QUIRE_PARSE_CHILD_MAX_DOCS: positiveInt("QUIRE_PARSE_CHILD_MAX_DOCS").default(50),
    /** A child whose resident memory is above this after a document is replaced rather than reused (MB). */
    QUIRE_PARSE_CHILD_RECYCLE_RSS_MB: positiveInt("QUIRE_PARSE_CHILD_RECYCLE_RSS_MB").default(400),
    /** OCR worker processes (one tesseract.js each, ~200–350 MB), shared by all jobs. @default number of cores */
    QUIRE_OCR_WORKERS: positiveInt("QUIRE_OCR_WORKERS").default(availableParallelism()),
    /** A worker is replaced after this many pages: WASM memory never shrinks, so long runs would grow. */
    QUIRE_OCR_RECYCLE_PAGES: positiveInt("QUIRE_OCR_RECYCLE_PAGES").default(200),
    /** …or as soon as its resident memory is above this after a page (MB). */
    QUIRE_OCR_MAX_RSS_MB: positiveInt("QUIRE_OCR_MAX_RSS_MB").default(1_024),
    /** Wall-clock limit for one page's OCR; above it the job fails with DOCUMENT_TOO_COMPLEX. A dense 300 dpi page takes 2–6 s. */
    QUIRE_OCR_PAGE_TIMEOUT_MS: positiveInt("QUIRE_OCR_PAGE_TIMEOUT_MS").default(120_000),
    /** Resolution PDF pages are rendered at for OCR: tesseract is trained on ~300 dpi text. */
    QUIRE_OCR_DPI: positiveInt("QUIRE_OCR_DPI").default(300),
    /** Pixel cap of one page image (rendered or decoded); larger pages are scaled down. 36 MP ≈ A2 at 300 dpi. */
    QUIRE_OCR_MAX_PIXELS: positiveInt("QUIRE_OCR_MAX_PIXELS").default(36_000_000),
    /** Detect sideways and upside-down scans (tesseract OSD) when a page reads poorly; false skips it. */
    QUIRE_OCR_ORIENTATION: boolEnv.default(true),
    /** A tessdata folder (<lang>.traineddata[.gz]) to use instead of the @tesseract.js-data npm packages. */
    QUIRE_OCR_TESSDATA_DIR: z.string().default(""),
  })
  .transform((e) => ({
    ...baseConfig(e),
    ...fetchConfig(e),
    concurrency: e.QUIRE_PARSE_CONCURRENCY,
    warmChild: e.QUIRE_PARSE_WARM_CHILD,
    limits: {
      timeoutMs: e.QUIRE_PARSE_TIMEOUT_MS,
      maxHeapMb: e.QUIRE_PARSE_MAX_HEAP_MB,
      maxRssMb: e.QUIRE_PARSE_MAX_RSS_MB,
      maxPages: e.QUIRE_PARSE_MAX_PAGES,
      fontStyles: e.QUIRE_PARSE_FONT_STYLES,
      childMaxDocuments: e.QUIRE_PARSE_CHILD_MAX_DOCS,
      childRecycleRssMb: e.QUIRE_PARSE_CHILD_RECYCLE_RSS_MB,
    } satisfies ParseLimits,
    ocr: {
      workers: e.QUIRE_OCR_WORKERS,
      recyclePages: e.QUIRE_OCR_RECYCLE_PAGES,
      maxRssMb: e.QUIRE_OCR_MAX_RSS_MB,
      pageTimeoutMs: e.QUIRE_OCR_PAGE_TIMEOUT_MS,
      dpi: e.QUIRE_OCR_DPI,
      maxPixels: e.QUIRE_OCR_MAX_PIXELS,
      orientation: e.QUIRE_OCR_ORIENTATION,
      tessdataDir: e.QUIRE_OCR_TESSDATA_DIR,
    },
  }));
export type ParseConfig = z.output<typeof ParseEnv>;

export const loadConfig = (env: Record<string, string | undefined> = process.env): ParseConfig => parseConfig(ParseEnv, env);
