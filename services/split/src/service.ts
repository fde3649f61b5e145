// The "split" stage: an extraction (from this job's extract, or an earlier one by
// extraction_id) and the user's sections → which pages belong to which section.
import type { SplitResult, StageJob } from "@quire/contracts";
import {
  createStageWorker, engineFor, ErrorCode, requireLlm, jobResultRef, QuireError, readJobExtraction, stepOptions,
  type Blobs, type EngineSettings, type JobEvents, type Logger, type NatsConnection, type StageContext, type StageWorker,
} from "@quire/runtime";
import type { SplitConfig } from "./config.js";
import { splitDeterministic, splitWithLlm, type SplitRequest } from "./engine/index.js";

export interface SplitServiceDeps {
  nc: NatsConnection;
  events: JobEvents;
  blobs: Blobs;
  logger: Logger;
  config: Pick<SplitConfig, "concurrency" | "ackWaitMs" | "maxDeliver" | "shutdownGraceMs" | "defaultEngine" | "llm">;
}

/** The slice of the object store this stage uses; narrow, so tests can hand in a Map. */
export interface SplitStore {
  /** An artifact from the results bucket or the persisted one. */
  get(name: string): Promise<Uint8Array | null>;
  put(name: string, data: Uint8Array): Promise<void>;
}

export type SplitSettings = EngineSettings;

export type SplitContext = Pick<StageContext, "progress" | "throwIfEnded" | "done" | "logger" | "signal" | "time" | "timings">;

export function createSplitService(deps: SplitServiceDeps): StageWorker {
  const store: SplitStore = {
    get: (name) => deps.blobs.getArtifact(name),
    put: (name, data) => deps.blobs.put(deps.blobs.results, name, data),
  };
  const settings: SplitSettings = { defaultEngine: deps.config.defaultEngine, llm: deps.config.llm };
  return createStageWorker(
    {
      stage: "split",
      concurrency: deps.config.concurrency,
      ackWaitMs: deps.config.ackWaitMs,
      maxDeliver: deps.config.maxDeliver,
      handle: async (job, ctx) => void (await runSplitJob(job, ctx, store, settings)),
    },
    { nc: deps.nc, events: deps.events, logger: deps.logger, drainMs: deps.config.shutdownGraceMs },
  );
}

/** Handles one split job: reads the extraction, runs the engine, stores the SplitResult and hands it on. */
export async function runSplitJob(job: StageJob, ctx: SplitContext, store: SplitStore, settings: SplitSettings): Promise<SplitResult> {
  const options = stepOptions(job, "split");
  if (!options || options.sections.length === 0)
    throw new QuireError(ErrorCode.InvalidArgument, "a split job needs at least one section in split_config.split_input", {}, { retryable: false });
  const extraction = await ctx.time("load", () => readJobExtraction(job, store.get));
  await ctx.progress(0, 0.1, `splitting ${extraction.page_count} pages into ${options.sections.length} sections`);
  const engine = engineFor("split", options.engine, settings);
  const req: SplitRequest = {
    sections: options.sections.map((s) => ({ name: s.name, description: s.description, ...(s.partitionKey ? { partition_key: s.partitionKey } : {}) })),
    ...(options.rules ? { rules: options.rules } : {}),
  };
  const started = Date.now();
  const outcome = engine === "llm"
    ? await splitWithLlm(extraction, req, requireLlm("split", settings), ctx.signal)
    : splitDeterministic(extraction, req);
  await ctx.throwIfEnded();
  const result: SplitResult = {
    split_id: `spl_${job.jobId.replace(/^job_/, "")}`,
    extraction_id: extraction.extraction_id,
    page_count: extraction.page_count,
    splits: outcome.splits,
    unassigned_pages: outcome.unassigned_pages,
    usage: { pages: extraction.pages.length, engine, cached_parse: extraction.usage?.cached_parse ?? false, timings: ctx.timings() },
  };
  const ref = jobResultRef(job.tenantId, job.jobId, "split.json");
  await store.put(ref, new TextEncoder().encode(JSON.stringify(result)));
  ctx.logger.info({ engine, sections: result.splits.length, unassigned: result.unassigned_pages.length, durationMs: Date.now() - started }, "split stored");
  await ctx.progress(1, 1, "split done");
  await ctx.done({ resultRef: ref });
  return result;
}
