// The stage handler's surroundings without NATS: in-memory blobs and a StageContext that
// records what the handler reported.
import { create } from "@bufbuild/protobuf";
import { StageJobSchema, type ParseOptions, type StageJob } from "@quire/contracts";
import { createLogger, jobTimings, planPct, StageClock, type StageContext } from "@quire/runtime";
import type { ParseHandlerDeps } from "../service.js";

export function memoryBlobs() {
  const files = { bucket: "files" };
  const results = { bucket: "results" };
  const data = new Map<object, Map<string, Uint8Array>>([
    [files, new Map()],
    [results, new Map()],
  ]);
  const blobs = {
    files,
    results,
    get: async (store: object, name: string) => data.get(store)?.get(name) ?? null,
    put: async (store: object, name: string, bytes: Uint8Array) => void data.get(store)?.set(name, bytes),
    has: async (store: object, name: string) => data.get(store)?.has(name) ?? false,
  };
  return { blobs: blobs as unknown as ParseHandlerDeps["blobs"], files: data.get(files)!, results: data.get(results)! };
}

/** A parse job as the gateway plans it: parse (with these options), then extract. */
export function parseJob(
  fields: Partial<Pick<StageJob, "jobId" | "tenantId" | "kind" | "fileRef" | "mediaType">>,
  options: Partial<ParseOptions> = {},
): StageJob {
  return create(StageJobSchema, {
    jobId: "job_1",
    tenantId: "acme",
    fileRef: "acme/file",
    mediaType: "application/pdf",
    ...fields,
    plan: [{ stage: "parse", options: { case: "parse", value: options } }, { stage: "extract" }],
    step: 0,
  });
}

/**
 * A StageContext that records what the handler reported: progress as "seq:overall pct:message"
 * (the pct the worker would publish for a parse → extract plan) and the work message the
 * worker would hand to the next stage.
 */
export function recordingContext() {
  const progress: string[] = [];
  const next: Partial<StageJob>[] = [];
  let ended = false;
  const plan = [{ stage: "parse" }, { stage: "extract" }];
  const clock = new StageClock("parse", Date.now());
  const ctx: StageContext = {
    signal: new AbortController().signal,
    logger: createLogger({ service: "parse-test", level: "silent" }),
    attempt: 1,
    progress: async (seq, fraction, message) => void progress.push(`${seq}:${planPct(plan, 0, fraction)}:${message}`),
    throwIfEnded: async () => {
      if (ended) throw new Error("job ended");
    },
    time: (part, fn) => clock.time(part, fn),
    addTime: (part, ms) => clock.add(part, ms),
    timings: () => jobTimings(clock.flat({})),
    done: async (output) => void next.push({ ...output.artifacts }),
  };
  return { ctx, progress, next, end: () => (ended = true), timings: ctx.timings };
}
