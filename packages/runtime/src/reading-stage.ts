/**
 * A stage that reads an extraction (split, schema): the worker around its job handler, wired the
 * same way for each: the extraction from the results or persisted bucket, the result into the
 * results bucket, the engine settings from its config.
 */
import type { StageJob } from "@quire/contracts";
import type { EngineSettings } from "./engines.js";
import type { Logger } from "./logger.js";
import type { NatsConnection } from "./nats/connect.js";
import type { JobEvents } from "./nats/events.js";
import type { Blobs } from "./nats/object-store.js";
import { createStageWorker, type StageContext, type StageWorker } from "./nats/stage-worker.js";
import type { Stage } from "./nats/topology.js";

export interface ReadingStageDeps {
  nc: NatsConnection;
  events: JobEvents;
  blobs: Blobs;
  logger: Logger;
  config: EngineSettings & { concurrency: number; ackWaitMs: number; maxDeliver: number; shutdownGraceMs: number };
}

/** The slice of the object store such a stage uses; narrow, so tests can hand in a Map. */
export interface ReadingStore {
  /** An artifact from the results bucket or the persisted one. */
  get(name: string): Promise<Uint8Array | null>;
  put(name: string, data: Uint8Array): Promise<void>;
}

/** What of the stage context such a handler uses. */
export type ReadingContext = Pick<StageContext, "progress" | "throwIfEnded" | "done" | "logger" | "signal" | "time" | "timings">;

export type ReadingHandler = (job: StageJob, ctx: ReadingContext, store: ReadingStore, settings: EngineSettings) => Promise<unknown>;

export function createReadingStage(stage: Stage, deps: ReadingStageDeps, run: ReadingHandler): StageWorker {
  const store: ReadingStore = {
    get: (name) => deps.blobs.getArtifact(name),
    put: (name, data) => deps.blobs.put(deps.blobs.results, name, data),
  };
  const settings: EngineSettings = { defaultEngine: deps.config.defaultEngine, llm: deps.config.llm };
  return createStageWorker(
    {
      stage,
      concurrency: deps.config.concurrency,
      ackWaitMs: deps.config.ackWaitMs,
      maxDeliver: deps.config.maxDeliver,
      handle: async (job, ctx) => void (await run(job, ctx, store, settings)),
    },
    { nc: deps.nc, events: deps.events, logger: deps.logger, drainMs: deps.config.shutdownGraceMs },
  );
}
