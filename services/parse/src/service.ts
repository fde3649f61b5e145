// The "parse" stage: input file → ParsedDocument artifact in the results bucket → extract.
import { toBinary } from "@bufbuild/protobuf";
import { ParsedDocumentSchema, type ParsedDocument, type StageJob } from "@quire/contracts";
import {
  createStageWorker, ErrorCode, QuireError, sha256Hex,
  type Blobs, type JobEvents, type Logger, type NatsConnection, type StageContext, type StageDefinition, type StageWorker,
} from "@quire/runtime";
import type { ParseConfig } from "./config.js";
import { formatRanges, PageSelectionError, parsePageSelection } from "./page-selection.js";
import { parsePdf, type ParseLimits } from "./pdf-parser.js";

/** Bump when the ParsedDocument a given input produces changes, so old cache entries stop matching. */
export const PARSER_VERSION = "pdfjs-text-1";

/** Cancellation is checked between pages, but at most this often (each check is a KV read). */
const END_CHECK_MIN_MS = 250;
/** …and on a timer too, so one slow page does not delay a cancel until the time limit. */
const END_CHECK_TIMER_MS = 2_000;

export interface ParseHandlerDeps {
  blobs: Pick<Blobs, "files" | "results" | "get" | "put" | "has">;
  limits: ParseLimits;
  /** Replaceable in tests. */
  parse?: typeof parsePdf;
}

export interface ParseServiceDeps {
  nc: NatsConnection;
  events: JobEvents;
  blobs: Blobs;
  logger: Logger;
  config: ParseConfig;
}

export function createParseService(deps: ParseServiceDeps): StageWorker {
  const { config } = deps;
  return createStageWorker(
    {
      stage: "parse",
      concurrency: config.concurrency,
      ackWaitMs: config.ackWaitMs,
      maxDeliver: config.maxDeliver,
      handle: createParseHandler({ blobs: deps.blobs, limits: config.limits }),
    },
    { nc: deps.nc, events: deps.events, logger: deps.logger, drainMs: config.shutdownGraceMs },
  );
}

/**
 * Cache key of a parse artifact. The tenant is part of it, so one tenant's cache hit can never
 * reveal that another tenant uploaded the same file; the password only as a hash.
 */
export function parseCacheKey(p: { tenantId: string; fileSha: string; pages: string; password: string }): string {
  const passwordHash = p.password === "" ? "" : sha256Hex(Buffer.from(p.password, "utf8"));
  return sha256Hex(Buffer.from(JSON.stringify([PARSER_VERSION, p.tenantId, p.fileSha, p.pages, passwordHash]), "utf8"));
}

export function createParseHandler(deps: ParseHandlerDeps): StageDefinition["handle"] {
  const parse = deps.parse ?? parsePdf;
  return async (job, ctx) => {
    const bytes = await deps.blobs.get(deps.blobs.files, job.fileRef);
    if (!bytes) {
      throw new QuireError(ErrorCode.NotFound, `the input file ${job.fileRef} is no longer stored; upload it again`);
    }
    if (job.mediaType !== "application/pdf") {
      throw new QuireError(
        ErrorCode.UnsupportedFileType,
        `${job.mediaType || "this file type"} cannot be parsed yet; send a PDF (images need OCR, which is not available yet)`,
      );
    }
    const pages = canonicalPages(job.extract?.pages ?? "");
    const password = job.extract?.password ?? "";
    const key = parseCacheKey({ tenantId: job.tenantId, fileSha: sha256Hex(bytes), pages, password });
    const parsedRef = `${job.tenantId}/parsed/${key}`;
    if (await deps.blobs.has(deps.blobs.results, parsedRef)) {
      ctx.logger.info({ parsedRef }, "parse cache hit");
      await ctx.progress(0, 50, "parsed (cached)");
    } else {
      const doc = await parseWithProgress(parse, bytes, { ...deps.limits, pages, password }, ctx);
      await deps.blobs.put(deps.blobs.results, parsedRef, toBinary(ParsedDocumentSchema, doc));
    }
    await ctx.next("extract", { ...job, parsedRef } satisfies StageJob);
  };
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

async function parseWithProgress(
  parse: typeof parsePdf,
  bytes: Uint8Array,
  opts: ParseLimits & { pages: string; password: string },
  ctx: StageContext,
): Promise<ParsedDocument> {
  let lastCheck = Date.now();
  // throwIfEnded aborts ctx.signal itself when the job has ended, which kills the child.
  const timer = setInterval(() => void ctx.throwIfEnded().catch(() => undefined), END_CHECK_TIMER_MS);
  try {
    return await parse(bytes, {
      ...opts,
      signal: ctx.signal,
      onPage: async (_page, index, total) => {
        const done = index + 1;
        await ctx.progress(done, Math.round((500 * done) / total) / 10, `page ${done}/${total}`);
        if (Date.now() - lastCheck >= END_CHECK_MIN_MS) {
          lastCheck = Date.now();
          await ctx.throwIfEnded();
        }
      },
      onFinish: (stats) => ctx.logger.info({ ...stats, pages: opts.pages || "all" }, "parse child finished"),
    });
  } finally {
    clearInterval(timer);
  }
}
