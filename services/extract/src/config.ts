import { z } from "zod";
import { baseConfig, baseEnvShape, parseConfig, positiveInt } from "@quire/runtime";

export const ExtractEnv = z
  .object({
    ...baseEnvShape,
    /**
     * Jobs one process lays out at once. Layout is CPU-bound and synchronous per page, so more
     * than a couple per process only adds latency; scale out with replicas instead.
     */
    QUIRE_EXTRACT_CONCURRENCY: positiveInt("QUIRE_EXTRACT_CONCURRENCY").default(2),
  })
  .transform((e) => ({
    ...baseConfig(e),
    concurrency: e.QUIRE_EXTRACT_CONCURRENCY,
  }));
export type ExtractConfig = z.output<typeof ExtractEnv>;

export const loadConfig = (env: Record<string, string | undefined> = process.env): ExtractConfig => parseConfig(ExtractEnv, env);
