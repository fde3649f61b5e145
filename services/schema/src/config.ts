import { z } from "zod";
import { baseConfig, baseEnvShape, llmConfig, llmEnvShape, parseConfig, positiveInt } from "@quire/runtime";

export const SCHEMA_ENGINES = ["deterministic", "llm"] as const;
export type SchemaEngine = (typeof SCHEMA_ENGINES)[number];

export const SchemaEnv = z
  .object({
    ...baseEnvShape,
    ...llmEnvShape,
    /** Jobs one process fills at once; the deterministic engine is fast, the llm one mostly waits. */
    QUIRE_SCHEMA_CONCURRENCY: positiveInt("QUIRE_SCHEMA_CONCURRENCY").default(2),
    /** Engine of a request that names none. */
    QUIRE_SCHEMA_ENGINE: z.enum(SCHEMA_ENGINES, { message: `QUIRE_SCHEMA_ENGINE must be one of ${SCHEMA_ENGINES.join(", ")}` }).default("deterministic"),
  })
  .transform((e) => ({
    ...baseConfig(e),
    concurrency: e.QUIRE_SCHEMA_CONCURRENCY,
    defaultEngine: e.QUIRE_SCHEMA_ENGINE,
    llm: llmConfig(e),
  }))
  .superRefine((c, ctx) => {
    if (c.defaultEngine === "llm" && !c.llm)
      ctx.addIssue({ code: "custom", path: ["QUIRE_SCHEMA_ENGINE"], message: "QUIRE_SCHEMA_ENGINE=llm needs QUIRE_LLM_BASE_URL and QUIRE_LLM_MODEL" });
  });
export type SchemaConfig = z.output<typeof SchemaEnv>;

export const loadConfig = (env: Record<string, string | undefined> = process.env): SchemaConfig => parseConfig(SchemaEnv, env);
