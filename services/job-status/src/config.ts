import { z } from "zod";
import { ErrorCode, QuireError, baseConfig, baseEnvShape, parseConfig, positiveInt, type Logger } from "@quire/runtime";
import type { JobStore } from "./store/job-store.js";
import { createMemoryJobStore } from "./store/memory-job-store.js";
import { openMongoJobStore } from "./store/mongo-job-store.js";

export const JobStatusEnv = z
  .object({
    ...baseEnvShape,
    /** MongoDB connection string. Unset: the embedded in-memory store, rebuilt from QUIRE_EVENTS at start. */
    MONGODB_URI: z.string().trim().optional(),
    /** Where job-status serves its internal gRPC (JobStoreService + grpc.health.v1). "0.0.0.0:50052" in containers. */
    QUIRE_JOB_STATUS_GRPC_ADDR: z.string().trim().min(1).default("127.0.0.1:50052"),
    /** How often the deadline sweeper fails overdue jobs with JOB_TIMEOUT. @default 30 s */
    QUIRE_SWEEP_INTERVAL_MS: positiveInt("QUIRE_SWEEP_INTERVAL_MS").default(30_000),
  })
  .transform((e) => ({
    ...baseConfig(e),
    mongodbUri: e.MONGODB_URI ?? null,
    grpcAddr: e.QUIRE_JOB_STATUS_GRPC_ADDR,
    sweepIntervalMs: e.QUIRE_SWEEP_INTERVAL_MS,
  }));
export type JobStatusConfig = z.output<typeof JobStatusEnv>;

export const loadConfig = (env: Record<string, string | undefined> = process.env): JobStatusConfig => parseConfig(JobStatusEnv, env);

/** MongoDB when MONGODB_URI is set, else the embedded store; says which, without credentials. */
export async function openJobStore(config: JobStatusConfig, logger: Logger): Promise<JobStore> {
  const retentionMs = config.retentionMs;
  if (!config.mongodbUri) {
    logger.info({ store: "memory" }, "job store: embedded (in memory, rebuilt from QUIRE_EVENTS; set MONGODB_URI for MongoDB)");
    return createMemoryJobStore({ retentionMs });
  }
  const server = redact(config.mongodbUri);
  try {
    const store = await openMongoJobStore({ uri: config.mongodbUri, retentionMs });
    logger.info({ store: "mongodb", server }, "job store: MongoDB");
    return store;
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new QuireError(
      ErrorCode.Unavailable,
      `cannot open the MongoDB job store at ${server} (${why}); check MONGODB_URI, or unset it for the embedded store`,
    );
  }
}

/** mongodb://user:secret@host/db → mongodb://***@host/db */
export function redact(uri: string): string {
  return uri.replace(/\/\/[^@/]*@/, "//***@");
}
