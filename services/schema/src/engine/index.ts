/**
 * The engines of the `schema` operation: check a user's JSON Schema, then fill it from an
 * extraction, offline (`fillDeterministic`) or with an OpenAI-compatible model (`fillWithLlm`),
 * every value cited and validated.
 */
// Checking the schema: limits, supported subset, compiled validator.
export { checkInputSchema, validateOutput, MAX_SCHEMA_BYTES } from "./validate-schema.js";
export { MAX_SCHEMA_DEPTH, MAX_SCHEMA_PROPERTIES } from "./schema-fields.js";
// The two engines.
export { fillDeterministic } from "./deterministic.js";
export { fillWithLlm, MAX_DOCUMENT_CHARS, type LlmConfig } from "./llm.js";
// Shapes of their results.
export type { CheckedSchema, Citation, LlmOutcome, OutputError, SchemaOutcome, Validation } from "./types.js";
// Test support: Extractions from a compact layout.
export { makeExtraction, row, type BlockSpec, type PageSpec, type TableSpec } from "./fixtures.js";
