import { z } from "zod";
import { baseConfig, baseEnvShape, engineEnv, llmConfig, llmEnvShape, parseConfig, positiveInt } from "@quire/runtime";

export const SchemaEnv = z
  .object({
    ...baseEnvShape,
    ...llmEnvShape,
    /** Jobs one process fills at once; the deterministic engine is fast, the llm one mostly waits. */
    QUIRE_SCHEMA_CONCURRENCY: positiveInt("QUIRE_SCHEMA_CONCURRENCY").default(2),
    /** Engine of a request that names none. */
    QUIRE_SCHEMA_ENGINE: engineEnv("QUIRE_SCHEMA_ENGINE"),
  })
  .transform((e) => ({
    ...baseConfig(e),
    concurrency: e.QUIRE_SCHEMA_CONCURRENCY,
    defaultEngine: e.QUIRE_SCHEMA_ENGINE,
    llm: llmConfig(e),
  }))
  .superRefine((c, ctx) => {
    if (c.defaultEngine === "llm" && !c.llm)
      ctx.addIssue({
        code: "custom",
        path: ["QUIRE_SCHEMA_ENGINE"],
        message: "QUIRE_SCHEMA_ENGINE=llm needs QUIRE_LLM_BASE_URL and QUIRE_LLM_MODEL",
      });
  });
export type SchemaConfig = z.output<typeof SchemaEnv>;

export const loadConfig = (env: Record<string, string | undefined> = process.env): SchemaConfig => parseConfig(SchemaEnv, env);
