// The "split" stage: an extraction (from this job's extract, or an earlier one by
// extraction_id) and the user's sections → which pages belong to which section.
import type { SplitResult, StageJob } from "@quire/contracts";
import {
  createReadingStage,
  engineFor,
  ErrorCode,
  requireLlm,
  jobResultRef,
  QuireError,
  readJobExtraction,
  resultIdOf,
  stepOptions,
  type EngineSettings,
  type ReadingContext,
  type ReadingStageDeps,
  type ReadingStore,
  type StageWorker,
} from "@quire/runtime";
import { splitDeterministic, splitWithLlm, type SplitRequest } from "./engine/index.js";

/** The split stage's worker: split jobs from `quire.work.split`, each read from its extraction. */
export function createSplitService(deps: ReadingStageDeps): StageWorker {
  return createReadingStage("split", deps, runSplitJob);
}

/** Handles one split job: reads the extraction, runs the engine, stores the SplitResult and hands it on. */
export async function runSplitJob(job: StageJob, ctx: ReadingContext, store: ReadingStore, settings: EngineSettings): Promise<SplitResult> {
  const options = stepOptions(job, "split");
  if (!options || options.sections.length === 0)
    throw new QuireError(
      ErrorCode.InvalidArgument,
      "a split job needs at least one section in split_config.split_input",
      {},
      { retryable: false },
    );
  const extraction = await ctx.time("load", () => readJobExtraction(job, store.get));
  await ctx.progress(0, 0.1, `splitting ${extraction.page_count} pages into ${options.sections.length} sections`);
  const engine = engineFor("split", options.engine, settings);
  const req: SplitRequest = {
    sections: options.sections.map((s) => ({
      name: s.name,
      description: s.description,
      ...(s.partitionKey ? { partition_key: s.partitionKey } : {}),
    })),
    ...(options.rules ? { rules: options.rules } : {}),
  };
  const started = Date.now();
  const outcome =
    engine === "llm" ? await splitWithLlm(extraction, req, requireLlm("split", settings), ctx.signal) : splitDeterministic(extraction, req);
  await ctx.throwIfEnded();
  const result: SplitResult = {
    split_id: resultIdOf("spl", job.jobId),
    extraction_id: extraction.extraction_id,
    page_count: extraction.page_count,
    splits: outcome.splits,
    unassigned_pages: outcome.unassigned_pages,
    usage: { pages: extraction.pages.length, engine, cached_parse: extraction.usage?.cached_parse ?? false, timings: ctx.timings() },
  };
  const ref = jobResultRef(job.tenantId, job.jobId, "split.json");
  await store.put(ref, new TextEncoder().encode(JSON.stringify(result)));
  ctx.logger.info(
    { engine, sections: result.splits.length, unassigned: result.unassigned_pages.length, durationMs: Date.now() - started },
    "split stored",
  );
  await ctx.progress(1, 1, "split done");
  await ctx.done({ resultRef: ref });
  return result;
}
