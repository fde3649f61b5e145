import { z } from "zod";
import { baseConfig, baseEnvShape, engineEnv, llmConfig, llmEnvShape, parseConfig, positiveInt } from "@quire/runtime";

export const SplitEnv = z
  .object({
    ...baseEnvShape,
    ...llmEnvShape,
    /** Jobs one process splits at once; the deterministic engine is fast, the llm one mostly waits. */
    QUIRE_SPLIT_CONCURRENCY: positiveInt("QUIRE_SPLIT_CONCURRENCY").default(2),
    /** Engine of a request that names none. */
    QUIRE_SPLIT_ENGINE: engineEnv("QUIRE_SPLIT_ENGINE"),
  })
  .transform((e) => ({
    ...baseConfig(e),
    concurrency: e.QUIRE_SPLIT_CONCURRENCY,
    defaultEngine: e.QUIRE_SPLIT_ENGINE,
    llm: llmConfig(e),
  }))
  .superRefine((c, ctx) => {
    if (c.defaultEngine === "llm" && !c.llm)
      ctx.addIssue({
        code: "custom",
        path: ["QUIRE_SPLIT_ENGINE"],
        message: "QUIRE_SPLIT_ENGINE=llm needs QUIRE_LLM_BASE_URL and QUIRE_LLM_MODEL",
      });
  });
export type SplitConfig = z.output<typeof SplitEnv>;

export const loadConfig = (env: Record<string, string | undefined> = process.env): SplitConfig => parseConfig(SplitEnv, env);
