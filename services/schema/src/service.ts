// The "schema" stage: an extraction (from this job's extract, or an earlier one by
// extraction_id) and the user's JSON Schema → the JSON, every value cited, validated.
import type { SchemaResult, StageJob } from "@quire/contracts";
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
import { checkInputSchema } from "@quire/json-schema";
import { fillDeterministic, fillWithLlm } from "./engine/index.js";

/** The schema stage's worker: schema jobs from `quire.work.schema`, each read from its extraction. */
export function createSchemaService(deps: ReadingStageDeps): StageWorker {
  return createReadingStage("schema", deps, runSchemaJob);
}

/** Handles one schema job: reads the extraction, fills the schema, stores the SchemaResult and hands it on. */
export async function runSchemaJob(
  job: StageJob,
  ctx: ReadingContext,
  store: ReadingStore,
  settings: EngineSettings,
): Promise<SchemaResult> {
  const options = stepOptions(job, "schema");
  if (!options?.inputSchemaJson)
    throw new QuireError(ErrorCode.InvalidSchema, "a schema job needs schema_config.input_schema", { pointer: "" }, { retryable: false });
  // The gateway checked it before the job existed; compiled again here, where it is used.
  const checked = checkInputSchema(JSON.parse(options.inputSchemaJson) as unknown);
  const extraction = await ctx.time("load", () => readJobExtraction(job, store.get));
  await ctx.progress(0, 0.1, `filling the schema from ${extraction.page_count} pages`);
  const engine = engineFor("schema", options.engine, settings);
  const started = Date.now();
  const outcome =
    engine === "llm"
      ? await fillWithLlm(extraction, checked, options.prompt || undefined, requireLlm("schema", settings), ctx.signal)
      : fillDeterministic(extraction, checked, options.prompt || undefined);
  await ctx.throwIfEnded();
  const filled = Object.keys(outcome.citations).length;
  const result: SchemaResult = {
    schema_id: resultIdOf("sch", job.jobId),
    extraction_id: extraction.extraction_id,
    schema_output: outcome.schema_output,
    citations: outcome.citations,
    confidence: outcome.confidence,
    validation: outcome.validation,
    ...("dropped" in outcome ? { dropped: outcome.dropped as string[] } : {}),
    usage: {
      pages: extraction.pages.length,
      engine,
      cached_parse: extraction.usage?.cached_parse ?? false,
      fields_filled: filled,
      timings: ctx.timings(),
    },
  };
  const ref = jobResultRef(job.tenantId, job.jobId, "schema.json");
  await store.put(ref, new TextEncoder().encode(JSON.stringify(result)));
  ctx.logger.info({ engine, filled, valid: result.validation.valid, durationMs: Date.now() - started }, "schema result stored");
  await ctx.progress(1, 1, "schema filled");
  await ctx.done({ resultRef: ref });
  return result;
}
