// The "parse" stage: input file → ParsedDocument artifact in the results bucket, handed to the
// plan's next stage (extract).
import { toBinary } from "@bufbuild/protobuf";
import { ParsedDocumentSchema, type ParseOptions, type ParsedDocument, type StageJob } from "@quire/contracts";
import {
  assertLanguagesInstalled,
  createStageWorker,
  ErrorCode,
  fetchUrl,
  QuireError,
  quireMetrics,
  sha256Hex,
  stepOptions,
  storeFile,
  type Blobs,
  type FetchConfig,
  type JobEvents,
  type Logger,
  type NatsConnection,
  type StageContext,
  type StageDefinition,
  type StageWorker,
} from "@quire/runtime";
import type { ParseConfig } from "./config.js";
import { parseImage } from "./ocr/image-document.js";
import type { OcrMode } from "./ocr/ocr-decision.js";
import type { OcrPool } from "./ocr/ocr-pool.js";
import type { OnPage } from "./pages/page-collector.js";
import { formatRanges, PageSelectionError, parsePageSelection } from "./pages/page-selection.js";
import { parsePdf, type ParseLimits } from "./pdf/pdf-parser.js";

/** Bump when the ParsedDocument a given input produces changes, so old cache entries stop matching. */
export const PARSER_VERSION = "pdfjs-text-1+ocr-1";

/** Image types read through OCR; the gateway sniffs the bytes, so the type can be trusted. */
const IMAGE_TYPES = new Set(["image/png", "image/jpeg", "image/tiff", "image/webp"]);

export interface ParseHandlerDeps {
  blobs: Pick<Blobs, "files" | "results" | "get" | "put" | "has">;
  /** Limits for downloading an async job's file_url; without them such jobs fail. */
  fetch?: FetchConfig;
  limits: ParseLimits;
  /** The OCR pool and how PDF pages are rendered for it; without it, OCR is unavailable. */
  ocr?: OcrDeps;
  /** Replaceable in tests. */
  parse?: typeof parsePdf;
}

export interface OcrDeps {
  pool: Pick<OcrPool, "ocr" | "probe" | "languages" | "stats">;
  dpi: number;
  maxPixels: number;
}

export interface ParseServiceDeps {
  nc: NatsConnection;
  events: JobEvents;
  blobs: Blobs;
  logger: Logger;
  config: ParseConfig;
  ocr?: OcrDeps;
}

export function createParseService(deps: ParseServiceDeps): StageWorker {
  const { config } = deps;
  return createStageWorker(
    {
      stage: "parse",
      concurrency: config.concurrency,
      ackWaitMs: config.ackWaitMs,
      maxDeliver: config.maxDeliver,
      handle: createParseHandler({
        blobs: deps.blobs,
        limits: config.limits,
        fetch: { maxFileBytes: config.maxFileBytes, fetch: config.fetch },
        ...(deps.ocr ? { ocr: deps.ocr } : {}),
      }),
    },
    { nc: deps.nc, events: deps.events, logger: deps.logger, drainMs: config.shutdownGraceMs },
  );
}

/**
 * Cache key of a parse artifact. The tenant is part of it, so one tenant's cache hit can never
 * reveal that another tenant uploaded the same file; the password only as a hash.
 */
export function parseCacheKey(p: { tenantId: string; fileSha: string; pages: string; password: string; ocr?: string }): string {
  const passwordHash = p.password === "" ? "" : sha256Hex(Buffer.from(p.password, "utf8"));
  const parts = [PARSER_VERSION, p.tenantId, p.fileSha, p.pages, passwordHash, ...(p.ocr ? [p.ocr] : [])];
  return sha256Hex(Buffer.from(JSON.stringify(parts), "utf8"));
}

export function createParseHandler(deps: ParseHandlerDeps): StageDefinition["handle"] {
  const parse = deps.parse ?? parsePdf;
  return async (job, ctx) => {
    const input = await inputOf(job, deps, ctx);
    const { bytes, mediaType } = input;
    const isImage = IMAGE_TYPES.has(mediaType);
    if (mediaType !== "application/pdf" && !isImage) {
      throw new QuireError(
        ErrorCode.UnsupportedFileType,
        `${mediaType || "this file type"} cannot be parsed; send a PDF, PNG, JPEG, TIFF or WebP`,
      );
    }
    const options = stepOptions(job, "parse");
    const pages = canonicalPages(options?.pages ?? "");
    const password = options?.password ?? "";
    const ocr = ocrRequest(options, isImage, deps.ocr);
    const key = parseCacheKey({
      tenantId: job.tenantId,
      fileSha: sha256Hex(bytes),
      pages,
      password,
      ocr: `${ocr.mode}:${ocr.languages.join("+")}`,
    });
    const parsedRef = `${job.tenantId}/parsed/${key}`;
    const cachedParse = await deps.blobs.has(deps.blobs.results, parsedRef);
    if (cachedParse) {
      ctx.logger.info({ parsedRef }, "parse cache hit");
      await ctx.progress(0, 1, "parsed (cached)");
    } else {
      const pool = deps.ocr && timedPool(deps.ocr.pool, ctx);
      const doc = await withProgress(ctx, (onPage) =>
        isImage && pool
          ? parseImage(bytes, { pool, languages: ocr.languages, pages, maxPages: deps.limits.maxPages, signal: ctx.signal, onPage })
          : parse(bytes, {
              ...deps.limits,
              pages,
              password,
              signal: ctx.signal,
              onPage,
              reuseKey: job.tenantId,
              onFinish: (stats) => ctx.logger.info({ ...stats, pages: pages || "all" }, "parse child finished"),
              ...(deps.ocr && pool
                ? { ocr: { ...ocr, pool, dpi: deps.ocr.dpi, maxPixels: deps.ocr.maxPixels, maxAhead: 2 * pool.stats().workers } }
                : {}),
            }),
      );
      const ocrPages = doc.pages.filter((p) => p.ocr).length;
      quireMetrics().pages.add(doc.pages.length - ocrPages, { stage: "parse", ocr: "false" });
      if (ocrPages > 0) quireMetrics().pages.add(ocrPages, { stage: "parse", ocr: "true" });
      if (ocrPages > 0) ctx.logger.info({ ocrPages, pages: doc.pages.length, languages: ocr.languages }, "pages read by OCR");
      await ctx.time("store", () => deps.blobs.put(deps.blobs.results, parsedRef, toBinary(ParsedDocumentSchema, doc)));
    }
    await ctx.done({ artifacts: { parsedRef, cachedParse, fileRef: input.fileRef, mediaType } });
  };
}

/**
 * The job's input bytes: the stored file, or, for an async request that named a file_url, the
 * URL downloaded now (SSRF-guarded, size and time limited) and stored like an upload, so a
 * redelivery or a later stage finds it by its ref.
 */
async function inputOf(
  job: StageJob,
  deps: ParseHandlerDeps,
  ctx: StageContext,
): Promise<{ bytes: Uint8Array; fileRef: string; mediaType: string }> {
  if (!job.fileRef && job.fileUrl) {
    if (!deps.fetch) throw new QuireError(ErrorCode.Internal, "this parse worker cannot fetch file_url", {}, { retryable: false });
    const { fetch: policy, maxFileBytes } = deps.fetch;
    const fetched = await ctx.time("fetch", () => fetchUrl(job.fileUrl, { ...policy, maxBytes: maxFileBytes }));
    const stored = await storeFile(deps.blobs, job.tenantId, fetched.bytes, fetched.filename);
    ctx.logger.info({ bytes: stored.bytes, mediaType: stored.mediaType }, "file_url fetched");
    return { bytes: fetched.bytes, fileRef: stored.ref, mediaType: stored.mediaType };
  }
  const bytes = await ctx.time("load", () => deps.blobs.get(deps.blobs.files, job.fileRef));
  if (!bytes) throw new QuireError(ErrorCode.NotFound, `the input file ${job.fileRef} is no longer stored; upload it again`);
  return { bytes, fileRef: job.fileRef, mediaType: job.mediaType };
}

/** The OCR pool, with the time each page spends in recognition added to the job's `ocr_ms`. */
function timedPool(pool: OcrDeps["pool"], ctx: StageContext): OcrDeps["pool"] {
  return {
    ocr: (...args) => ctx.time("ocr", () => pool.ocr(...args)),
    probe: (...args) => ctx.time("ocr", () => pool.probe(...args)),
    get languages() {
      return pool.languages;
    },
    stats: () => pool.stats(),
  };
}

/**
 * The job's OCR mode (default auto) and languages (default eng), checked against what is
 * installed here too: the gateway checks at submit, but this worker may run other data.
 */
function ocrRequest(options: ParseOptions | undefined, isImage: boolean, ocr: OcrDeps | undefined): { mode: OcrMode; languages: string[] } {
  const raw = options?.ocr ?? "";
  const mode: OcrMode = raw === "always" || raw === "never" ? raw : "auto";
  const languages = options?.languages.length ? [...new Set(options.languages)] : ["eng"];
  if (isImage && mode === "never") {
    throw new QuireError(
      ErrorCode.InvalidArgument,
      'an image has no text layer, so `ocr: "never"` would read nothing; use "auto" or "always"',
    );
  }
  if (isImage && !ocr) throw new QuireError(ErrorCode.UnsupportedFileType, "this parse worker runs without OCR, so it cannot read images");
  if (mode !== "never" && ocr) assertLanguagesInstalled(languages, ocr.pool.languages);
  return { mode, languages };
}

/** "1-3,7" in its normal form, so equivalent selections share a cache entry. */
function canonicalPages(spec: string): string {
  try {
    return formatRanges(parsePageSelection(spec));
  } catch (err) {
    if (err instanceof PageSelectionError) throw new QuireError(ErrorCode.InvalidArgument, err.message);
    throw err;
  }
}

/**
 * Runs a parse with one progress event per finished page and a cancel check between pages. A
 * cancel that lands while a page is being read aborts ctx.signal (the worker watches the job's
 * end), which kills the child and drops the job's pages still queued for OCR.
 */
async function withProgress(ctx: StageContext, run: (onPage: OnPage) => Promise<ParsedDocument>): Promise<ParsedDocument> {
  return run(async (_page, index, total) => {
    const done = index + 1;
    await ctx.progress(done, done / total, `page ${done}/${total}`);
    await ctx.throwIfEnded();
  });
}
