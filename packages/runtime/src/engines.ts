/**
 * The engines of the stages that read an extraction (split, schema): `deterministic`, offline,
 * and `llm`, the OpenAI-compatible endpoint the operator configured. One definition, so both
 * stages pick and refuse engines the same way.
 */
import { z } from "zod";
import type { LlmConfig } from "./config.js";
import { ErrorCode, QuireError } from "./errors.js";

export const ENGINES = ["deterministic", "llm"] as const;
export type Engine = (typeof ENGINES)[number];

/** What a stage knows to pick an engine: its default (from config) and the LLM endpoint, if any. */
export interface EngineSettings {
  defaultEngine: Engine;
  llm: LlmConfig | undefined;
}

/** `QUIRE_<STAGE>_ENGINE`: the engine of a request that names none. */
export const engineEnv = (name: string) =>
  z.enum(ENGINES, { message: `${name} must be one of ${ENGINES.join(", ")}` }).default("deterministic");

/**
 * The engine a job asked for (`""`: the stage's default).
 * @throws QuireError INVALID_ARGUMENT for a name that is no engine.
 */
export function engineFor(stage: string, requested: string, settings: EngineSettings): Engine {
  if (requested === "") return settings.defaultEngine;
  if ((ENGINES as readonly string[]).includes(requested)) return requested as Engine;
  throw new QuireError(
    ErrorCode.InvalidArgument,
    `unknown ${stage} engine ${requested}; use ${ENGINES.join(" or ")}`,
    {},
    { retryable: false },
  );
}

/**
 * The LLM endpoint for an `llm` job.
 * @throws QuireError LLM_UNAVAILABLE, not retryable, when the operator configured none.
 */
export function requireLlm(stage: string, settings: EngineSettings): LlmConfig {
  if (settings.llm) return settings.llm;
  throw new QuireError(
    ErrorCode.LlmUnavailable,
    `no LLM endpoint is configured for ${stage}: the operator sets QUIRE_LLM_BASE_URL and QUIRE_LLM_MODEL; or send engine: "deterministic"`,
    {},
    { retryable: false },
  );
}
