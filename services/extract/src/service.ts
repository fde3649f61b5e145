import { fromBinary } from "@bufbuild/protobuf";
import { ParsedDocumentSchema, type ParsedDocument, type StageJob } from "@quire/contracts";
import {
  createStageWorker,
  ErrorCode,
  extractionIdOf,
  extractionRef,
  QuireError,
  stepOptions,
  type Blobs,
  type JobEvents,
  type Logger,
  type NatsConnection,
  type StageContext,
  type StageWorker,
} from "@quire/runtime";
import type { ExtractConfig } from "./config.js";
import { assembleExtraction, extractPages, type ExtractionOptions, type LaidOutPage } from "./extraction.js";

export interface ExtractServiceDeps {
  nc: NatsConnection;
  events: JobEvents;
  blobs: Blobs;
  logger: Logger;
  config: Pick<ExtractConfig, "concurrency" | "ackWaitMs" | "maxDeliver" | "shutdownGraceMs">;
}

/** The slice of the object store this stage uses; narrow, so tests can hand in a Map. */
export interface ResultStore {
  get(name: string): Promise<Uint8Array | null>;
  /** `persist`: into the bucket that keeps it past the retention period. */
  put(name: string, data: Uint8Array, persist?: boolean): Promise<void>;
}

/** What the handler uses of its stage context. */
export type ExtractContext = Pick<StageContext, "progress" | "throwIfEnded" | "done" | "logger" | "time" | "timings">;

/** The extract stage: consumes quire.work.extract, writes the extraction, ends the job. */
export function createExtractService(deps: ExtractServiceDeps): StageWorker {
  const store: ResultStore = {
    get: (name) => deps.blobs.get(deps.blobs.results, name),
    put: (name, data, persist) => deps.blobs.put(persist ? deps.blobs.persisted : deps.blobs.results, name, data),
  };
  return createStageWorker(
    {
      stage: "extract",
      concurrency: deps.config.concurrency,
      ackWaitMs: deps.config.ackWaitMs,
      maxDeliver: deps.config.maxDeliver,
      handle: async (job, ctx) => void (await runExtractJob(job, ctx, store)),
    },
    { nc: deps.nc, events: deps.events, logger: deps.logger, drainMs: deps.config.shutdownGraceMs },
  );
}

/**
 * Handles one extract job: loads the parse artifact, lays it out page by page (checking for
 * cancellation and reporting progress between pages), stores the extraction as JSON under its
 * `extraction_id` (tenant-scoped; later split and schema jobs read it by that id) and hands
 * it on: to the plan's next stage, or as the job's result. Returns the extraction's ref.
 */
export async function runExtractJob(job: StageJob, ctx: ExtractContext, store: ResultStore): Promise<string> {
  const parsed = await ctx.time("load", () => loadParsed(job, store));
  const started = Date.now();
  const pages = await layOutPages(parsed, ctx);
  const extractionId = extractionIdOf(job.jobId);
  const extraction = assembleExtraction(pages, {
    extractionId,
    cachedParse: job.cachedParse,
    timings: ctx.timings(),
    ...layoutOptions(job),
  });
  const ref = extractionRef(job.tenantId, extractionId);
  await ctx.time("store", () =>
    store.put(ref, new TextEncoder().encode(JSON.stringify(extraction)), stepOptions(job, "extract")?.persist ?? false),
  );
  ctx.logger.info(
    { pages: pages.length, blocks: pages.reduce((n, p) => n + p.page.blocks.length, 0), durationMs: Date.now() - started },
    "extraction stored",
  );
  await ctx.done({ resultRef: ref, artifacts: { extractionRef: ref } });
  return ref;
}

/**
 * The user's layout options from the job (see ExtractOptions in common.proto). The gateway
 * validates them; anything else here falls back to the defaults rather than failing the job.
 */
export function layoutOptions(job: StageJob): Pick<ExtractionOptions, "tables" | "chunking"> {
  const options = stepOptions(job, "extract");
  const tables = options?.tables === "html" ? "html" : "markdown";
  const chunking = options?.chunking;
  const strategy = chunking?.strategy;
  if (strategy !== "section" && strategy !== "page" && strategy !== "size") return { tables };
  return { tables, chunking: { strategy, ...(chunking?.maxChars ? { maxChars: chunking.maxChars } : {}) } };
}

async function layOutPages(parsed: ParsedDocument, ctx: ExtractContext): Promise<LaidOutPage[]> {
  const pages: LaidOutPage[] = [];
  const total = parsed.pages.length;
  for (const page of extractPages(parsed)) {
    pages.push(page);
    await ctx.throwIfEnded(); // a canceled job stops here, between pages
    const i = pages.length;
    // seq is the page index: stable across redeliveries, so a retried page reports once. The
    // stage worker coalesces these to a few a second.
    await ctx.progress(i, i / total, `extract page ${i}/${total}`);
  }
  return pages;
}

async function loadParsed(job: StageJob, store: ResultStore): Promise<ParsedDocument> {
  if (!job.parsedRef) throw new QuireError(ErrorCode.InvalidArgument, "extract job carries no parsed_ref");
  const bytes = await store.get(job.parsedRef);
  // Parse has stored it before enqueuing us; a miss means it has not replicated yet: retry.
  if (!bytes) throw new QuireError(ErrorCode.Unavailable, "parse artifact not found (yet)", { parsedRef: job.parsedRef });
  try {
    return fromBinary(ParsedDocumentSchema, bytes);
  } catch (err) {
    // The same bytes will not decode next time either: fail the job instead of retrying.
    throw new QuireError(ErrorCode.Internal, "parse artifact could not be decoded", {}, { cause: err, retryable: false });
  }
}
