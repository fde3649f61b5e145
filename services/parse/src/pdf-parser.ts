// The parent side of PDF parsing: validates the request, runs dist/pdf-child.js in a
// sandboxed child process (child-runner.ts) and turns its lines into a ParsedDocument,
// or its failure into a QuireError with a message that says what to do.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { create } from "@bufbuild/protobuf";
import { ParsedDocumentSchema, ParsedPageSchema, type ParsedDocument, type ParsedPage } from "@quire/contracts";
import { ErrorCode, QuireError, isErrorCode, sha256Hex } from "@quire/runtime";
import { encodeChildInput, type ChildHeader, type ChildLine } from "./child-protocol.js";
import { runChild, type ChildOutcome } from "./child-runner.js";
import { PageSelectionError, parsePageSelection } from "./page-selection.js";

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
  /** Learn real font names (bold/italic) from each page's operator list; up to ~1.8× the parse time. @default true */
  fontStyles?: boolean;
  /** Aborting kills the child; parsePdf then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Called per page as it arrives (index is 0-based); a throw kills the child and is rethrown. */
  onPage?: (page: ParsedPage, index: number, total: number) => void | Promise<void>;
  /** Timing and memory of the child, for logs and metrics. */
  onFinish?: (stats: { elapsedMs: number; peakRssMb: number }) => void;
  /** Another child script (tests only). */
  childScript?: string;
}

export interface ParseLimits {
  timeoutMs: number;
  maxHeapMb: number;
  maxRssMb: number;
  maxPages: number;
  fontStyles: boolean;
}

export const PARSE_DEFAULTS: Readonly<ParseLimits> = { timeoutMs: 120_000, maxHeapMb: 1024, maxRssMb: 1536, maxPages: 5_000, fontStyles: true };

/**
 * dist/pdf-child.js of this package. Found from this module's location, which is src/ under
 * vitest and dist/ in production: both sit one level below the package root.
 */
export function childScriptPath(): string {
  const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  return path.join(packageRoot, "dist", "pdf-child.js");
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
  const header: ChildHeader = {
    password: o.password ?? "", pages: o.pages ?? "", maxPages: o.maxPages, fontStyles: o.fontStyles,
    selfDestructMs: o.timeoutMs + 10_000,
  };
  const collector = new Collector(o.onPage);
  const outcome = await runChild({
    script: o.childScript ?? childScriptPath(),
    execArgv: childExecArgv(o.maxHeapMb),
    input: encodeChildInput(header, bytes),
    timeoutMs: o.timeoutMs,
    maxRssMb: o.maxRssMb,
    signal: o.signal,
    onLine: (line) => collector.onLine(line),
  });
  o.onFinish?.({ elapsedMs: outcome.elapsedMs, peakRssMb: outcome.peakRssMb });
  throwIfFailed(outcome, collector, o);
  return create(ParsedDocumentSchema, { pageCount: collector.pageCount, pages: collector.pages, sha256: sha256Hex(bytes) });
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Accumulates the child's lines; hands each page to onPage as soon as it is complete. */
class Collector {
  pageCount = 0;
  total = 0;
  pages: ParsedPage[] = [];
  error: { code: string; message: string } | undefined;
  done = false;

  constructor(private readonly onPage: ParsePdfOptions["onPage"]) {}

  async onLine(raw: string): Promise<void> {
    let line: ChildLine;
    try {
      line = JSON.parse(raw) as ChildLine;
    } catch {
      return; // not protocol (the child routes console output to stderr, but be lenient)
    }
    if (line.type === "meta") {
      this.pageCount = line.pageCount;
      this.total = line.pages.length;
    } else if (line.type === "page") {
      const page = create(ParsedPageSchema, line.page);
      this.pages.push(page);
      await this.onPage?.(page, this.pages.length - 1, this.total);
    } else if (line.type === "error") {
      this.error = { code: line.code, message: line.message };
    } else if (line.type === "done") {
      this.done = true;
    }
  }
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
