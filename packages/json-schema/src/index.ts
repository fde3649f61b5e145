/**
 * `@quire/json-schema`: the JSON Schema subset the schema operation fills. The gateway checks
 * a request's schema with it before any job exists (400 INVALID_SCHEMA naming the pointer);
 * the schema stage compiles it again to walk its fields and validate the output.
 */
export { checkInputSchema, validateOutput, MAX_SCHEMA_BYTES } from "./validate-schema.js";
export { MAX_SCHEMA_DEPTH, MAX_SCHEMA_PROPERTIES, pointerSegment, schemaFields } from "./schema-fields.js";
export type * from "./types.js";
