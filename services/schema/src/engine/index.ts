/**
 * The engines of the `schema` operation: check a user's JSON Schema, then fill it from an
 * extraction, offline (`fillDeterministic`) or with an OpenAI-compatible model (`fillWithLlm`),
 * every value cited and validated.
 */
// Checking the schema (limits, supported subset, compiled validator) is @quire/json-schema's.
// The two engines.
export { fillDeterministic } from "./deterministic.js";
export { fillWithLlm, MAX_DOCUMENT_CHARS, type LlmConfig } from "./llm.js";
// Shapes of their results.
export type { LlmOutcome, SchemaOutcome } from "@quire/json-schema";
// Test support: Extractions from a compact layout.
export { makeExtraction, row, type BlockSpec, type PageSpec, type TableSpec } from "./fixtures.js";
