/** The split engines: which pages of a bundle belong to which named section. */
export { splitDeterministic } from "./deterministic.js";
export { splitPageByPage } from "./baseline.js";
export { splitWithLlm } from "./llm.js";
export type { LlmSettings } from "./llm.js";
export { toRanges, fromRanges } from "./ranges.js";
export { findKeyValue } from "./partition-key.js";
export { extractionFromPages } from "./fixtures.js";
export type { FixturePage } from "./fixtures.js";
export type { SplitRequest, SplitOutcome, SplitInput } from "./types.js";
