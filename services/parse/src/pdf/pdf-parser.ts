// The parent side of PDF parsing: validates the request, runs dist/pdf/pdf-child.js in a
// sandboxed child process (child-runner.ts) and turns its lines into a ParsedDocument,
// or its failure into a QuireError with a message that says what to do.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { create } from "@bufbuild/protobuf";
import { ParsedDocumentSchema, type ParsedDocument, type ParsedPage } from "@quire/contracts";
import { ErrorCode, QuireError, isErrorCode, sha256Hex } from "@quire/runtime";
import { encodeChildInput, type ChildHeader, type ChildOcrHeader } from "./child-protocol.js";
import { runChild, type ChildOutcome } from "./child-runner.js";
import type { OcrMode } from "../ocr/ocr-decision.js";
import type { OcrPool } from "../ocr/ocr-pool.js";
import { Collector, type RecognizeRaster } from "../pages/page-collector.js";
import { PageSelectionError, parsePageSelection } from "../pages/page-selection.js";

export interface ParsePdfOptions {
  /** For encrypted PDFs; never logged. */
  password?: string;
  /** Page selection like "1-3,7"; empty = all pages. */
  pages?: string;
  /** Wall-clock limit for the whole document. @default 120_000 */
  timeoutMs?: number;
  /** V8 old-space cap of the child (--max-old-space-size). @default 1024 */
  maxHeapMb?: number;
  /** Resident-set cap of the child, sampled every 200 ms; catches typed-array bombs the heap cap misses. @default 1536 */
  maxRssMb?: number;
  /** Most pages one job may select. @default 5000 */
  maxPages?: number;
  /** Walk each page's operator list: real font names (bold/italic) and graphics (table rules, images); up to ~1.8× the parse time. @default true */
  fontStyles?: boolean;
  /** Aborting kills the child; parsePdf then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Called per page as it arrives (index is 0-based); a throw kills the child and is rethrown. */
  onPage?: (page: ParsedPage, index: number, total: number) => void | Promise<void>;
  /**
   * Lets the sandboxed child be reused for later documents with the same key (the tenant): it
   * then runs up to `childMaxDocuments` documents. Without it, a fresh process per document.
   */
  reuseKey?: string;
  /** Timing and memory of the child, for logs and metrics; `documents` counts what that process has run. */
  onFinish?: (stats: { elapsedMs: number; peakRssMb: number; documents: number }) => void;
  /** Another child script (tests only). */
  childScript?: string;
  /** OCR of pages without a usable text layer; absent = pages are not judged (ocr false, no reason). */
  ocr?: PdfOcrOptions;
}

export interface PdfOcrOptions {
  pool: Pick<OcrPool, "ocr">;
  mode: OcrMode;
  languages: readonly string[];
  /** Render resolution for OCR before the pixel cap. */
  dpi: number;
  maxPixels: number;
  /** Pages rendered ahead of the OCR pool, at most (flow control). */
  maxAhead: number;
}

/** How much longer a child may live while it waits for OCR (its parent kills it long before). */
const OCR_SELF_DESTRUCT_EXTRA_MS = 6 * 3_600_000;

export interface ParseLimits {
  timeoutMs: number;
  maxHeapMb: number;
  maxRssMb: number;
  maxPages: number;
  fontStyles: boolean;
  /** With a reuseKey: documents one child runs before it is replaced. */
  childMaxDocuments: number;
  /** With a reuseKey: a child above this resident memory after a document is replaced (MB). */
  childRecycleRssMb: number;
}

export const PARSE_DEFAULTS: Readonly<ParseLimits> = {
  timeoutMs: 120_000,
  maxHeapMb: 1024,
  maxRssMb: 1536,
  maxPages: 5_000,
  fontStyles: true,
  childMaxDocuments: 50,
  childRecycleRssMb: 400,
};

/**
 * dist/pdf/pdf-child.js of this package. Found from this module's location, which is src/pdf/
 * under vitest and dist/pdf/ in production: both sit two levels below the package root.
 */
export function childScriptPath(): string {
  const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
  return path.join(packageRoot, "dist", "pdf", "pdf-child.js");
}

/** Node flags of the child: no eval/new Function, whatever pdf.js or a PDF attempts. */
export function childExecArgv(maxHeapMb: number = PARSE_DEFAULTS.maxHeapMb): string[] {
  return ["--disallow-code-generation-from-strings", `--max-old-space-size=${maxHeapMb}`];
}

/** pdf.js (like most readers) accepts junk before the header, but only within the first 1 KB. */
function looksLikePdf(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 1024)).includes("%PDF-");
}

export async function parsePdf(bytes: Uint8Array, opts: ParsePdfOptions = {}): Promise<ParsedDocument> {
  const o = { ...PARSE_DEFAULTS, ...definedOnly(opts) };
  try {
    parsePageSelection(o.pages ?? "");
  } catch (err) {
    if (err instanceof PageSelectionError) throw new QuireError(ErrorCode.InvalidArgument, err.message);
    throw err;
  }
  if (!looksLikePdf(bytes)) {
    throw new QuireError(ErrorCode.InvalidPdf, "the file is not a PDF: no %PDF- header in its first 1024 bytes");
  }
  const stop = new AbortController(); // an OCR failure stops the child and the document's queued pages
  const signal = o.signal ? AbortSignal.any([o.signal, stop.signal]) : stop.signal;
  const ocr = await prepareOcr(o.ocr, signal);
  try {
    const header: ChildHeader = {
      password: o.password ?? "",
      pages: o.pages ?? "",
      maxPages: o.maxPages,
      fontStyles: o.fontStyles,
      // With OCR the child may wait on the pool for a long time (its own work is still bounded by timeoutMs).
      selfDestructMs: o.timeoutMs + 10_000 + (ocr?.recognize ? OCR_SELF_DESTRUCT_EXTRA_MS : 0),
      ...(ocr ? { ocr: ocr.header } : {}),
    };
    const collector = new Collector(o.onPage, ocr?.recognize, (err) => stop.abort(err));
    const outcome = await runChild({
      script: o.childScript ?? childScriptPath(),
      execArgv: childExecArgv(o.maxHeapMb),
      input: encodeChildInput(header, bytes),
      timeoutMs: o.timeoutMs,
      maxRssMb: o.maxRssMb,
      signal,
      onLine: (line) => collector.onLine(line),
      isIdle: () => ocr !== null && collector.outstanding >= ocr.header.maxAhead,
      ...(o.reuseKey !== undefined && o.childMaxDocuments > 1
        ? { reuse: { key: o.reuseKey, maxDocuments: o.childMaxDocuments, maxRssMb: o.childRecycleRssMb, isDone: isDoneLine } }
        : {}),
    }).catch((err: unknown) => {
      throw collector.failed ?? err;
    });
    o.onFinish?.({ elapsedMs: outcome.elapsedMs, peakRssMb: outcome.peakRssMb, documents: outcome.documents });
    throwIfFailed(outcome, collector, o);
    return create(ParsedDocumentSchema, { pageCount: collector.pageCount, pages: await collector.pages(), sha256: sha256Hex(bytes) });
  } finally {
    if (ocr?.header.rasterDir) await rm(ocr.header.rasterDir, { recursive: true, force: true });
  }
}

/** The child's line that ends a document cleanly; it is then ready for the next. */
const isDoneLine = (line: string): boolean => line === '{"type":"done"}';

/** OCR settings for the child, a private folder for its rasters, and the pool call for them. */
async function prepareOcr(opts: PdfOcrOptions | undefined, signal: AbortSignal | undefined) {
  if (!opts) return null;
  const base = { mode: opts.mode, dpi: opts.dpi, maxPixels: opts.maxPixels, maxAhead: Math.max(1, opts.maxAhead) };
  if (opts.mode === "never") return { header: { ...base, rasterDir: "" } satisfies ChildOcrHeader, recognize: undefined };
  const rasterDir = await mkdtemp(path.join(tmpdir(), "quire-raster-"));
  const recognize: RecognizeRaster = (page) =>
    opts.pool.ocr({ kind: "raster", path: page.raster.path, dpi: page.raster.dpi }, opts.languages, `page ${page.pageNumber}`, signal);
  return { header: { ...base, rasterDir } satisfies ChildOcrHeader, recognize };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Why the child did not finish, as a QuireError; most specific cause first. */
function throwIfFailed(outcome: ChildOutcome, c: Collector, limits: ParseLimits): void {
  const details = { exitCode: outcome.exitCode, signal: outcome.signal, peakRssMb: outcome.peakRssMb, stderr: outcome.stderrTail };
  const tooComplex = (msg: string) => new QuireError(ErrorCode.DocumentTooComplex, msg, details);
  if (outcome.killedFor === "timeout") {
    throw tooComplex(`parsing took longer than the ${limits.timeoutMs / 1000} s limit; select fewer pages or raise QUIRE_PARSE_TIMEOUT_MS`);
  }
  if (outcome.killedFor === "rss") {
    throw tooComplex(`parsing needed more than the ${limits.maxRssMb} MB memory limit; select fewer pages or raise QUIRE_PARSE_MAX_RSS_MB`);
  }
  if (c.error) {
    throw new QuireError(isErrorCode(c.error.code) ? c.error.code : ErrorCode.InvalidPdf, c.error.message, details);
  }
  if (/heap out of memory|Reached heap limit/i.test(outcome.stderrTail)) {
    throw tooComplex(`parsing needed more than the ${limits.maxHeapMb} MB heap limit; select fewer pages or raise QUIRE_PARSE_MAX_HEAP_MB`);
  }
  if (outcome.signal === "SIGKILL" || outcome.signal === "SIGTERM") {
    // Not our kill (we record ours): most likely the OS/cgroup OOM killer or a node drain.
    // Not the document's fault for sure, so retry; JetStream's MaxDeliver bounds the loop.
    throw new QuireError(ErrorCode.Unavailable, `the parse process was killed by ${outcome.signal} (out of memory on the host?)`, details);
  }
  if (outcome.exitCode !== 0 || !c.done) {
    throw new QuireError(
      ErrorCode.InvalidPdf,
      `the PDF could not be parsed: the parser process crashed on it (exit code ${outcome.exitCode})`,
      details,
    );
  }
}
