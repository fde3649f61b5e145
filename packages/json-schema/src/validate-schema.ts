/**
 * Input-schema checking (limits, supported subset, ajv compilation) and output validation.
 * Both engines run the same check, so a schema is refused before any work, with the pointer
 * of its problem, and every answer is validated by the same compiled validator.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { ErrorCode, QuireError } from "@quire/runtime";
import { schemaFields } from "./schema-fields.js";
import type { CheckedSchema, Validation } from "./types.js";

/** Size of the schema as JSON, UTF-8. */
export const MAX_SCHEMA_BYTES = 64 * 1024;

// ajv-formats is CommonJS with `exports.default`; under NodeNext the default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as typeof addFormatsModule.default;

const DRAFT_07 = /^https?:\/\/json-schema\.org\/draft-07\/schema#?$/u;
const DRAFT_2020 = /^https?:\/\/json-schema\.org\/draft\/2020-12\/schema#?$/u;

const invalid = (message: string, pointer: string, extra: Record<string, unknown> = {}) =>
  new QuireError(
    ErrorCode.InvalidSchema,
    `${message} (at ${pointer === "" ? "the schema root" : pointer})`,
    { pointer, ...extra },
    { retryable: false },
  );

/**
 * Checks a user's schema and compiles it. Dialect from `$schema`: draft-07 or 2020-12 (the
 * default when absent).
 * @throws QuireError INVALID_SCHEMA (`details.pointer` = JSON pointer of the problem) when the
 *   schema is not JSON Schema, uses what the engines do not support, or passes the limits
 *   ({@link MAX_SCHEMA_BYTES}, 8 levels, 500 properties).
 */
export function checkInputSchema(schema: unknown): CheckedSchema {
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) throw invalid("the schema must be a JSON object", "");
  const bytes = schemaBytes(schema);
  if (bytes > MAX_SCHEMA_BYTES)
    throw invalid(`the schema is ${bytes} bytes of JSON; the limit is ${MAX_SCHEMA_BYTES}`, "", { bytes, limit: MAX_SCHEMA_BYTES });
  const json = schema as Record<string, unknown>;
  const dialect = dialectOf(json.$schema);
  const root = schemaFields(json);
  const validateFn = compile(json, dialect);
  return { schema: json, dialect, root, validate: (output) => runValidator(validateFn, output) };
}

/** Validates an engine's output against the checked schema; errors carry JSON pointers into the output. */
export function validateOutput(checked: CheckedSchema, output: unknown): Validation {
  return checked.validate(output);
}

function schemaBytes(schema: object): number {
  try {
    return Buffer.byteLength(JSON.stringify(schema), "utf8");
  } catch {
    throw invalid("the schema is not serializable JSON", "");
  }
}

function dialectOf(raw: unknown): CheckedSchema["dialect"] {
  if (raw === undefined) return "2020-12";
  if (typeof raw === "string" && DRAFT_2020.test(raw)) return "2020-12";
  if (typeof raw === "string" && DRAFT_07.test(raw)) return "draft-07";
  throw invalid(
    `unsupported $schema ${JSON.stringify(raw)}: use https://json-schema.org/draft/2020-12/schema or http://json-schema.org/draft-07/schema#`,
    "/$schema",
  );
}

function compile(schema: Record<string, unknown>, dialect: CheckedSchema["dialect"]): ValidateFunction {
  const options = {
    allErrors: true,
    strict: true,
    strictTypes: false,
    strictTuples: false,
    strictRequired: false,
    logger: false as const,
    validateFormats: true,
  };
  const ajv = dialect === "draft-07" ? new Ajv(options) : new Ajv2020(options);
  addFormats(ajv, ["date", "date-time", "email", "uri"]);
  try {
    return ajv.compile(schema);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw invalid(`the schema does not compile: ${message.slice(0, 300)}`, "");
  }
}

/**
 * `null` in an output means "the document does not hold this value", so an optional property
 * that is null is valid whatever its type (as if absent), and a required one is an error that
 * says the value was not found. The output is validated with its null properties left out;
 * a required property reported missing there is kept only if the output with the null fails
 * too (a schema may allow null for a required property).
 */
function runValidator(validateFn: ValidateFunction, output: unknown): Validation {
  const asIs = validateFn(output) ? [] : errorsOf(validateFn);
  if (asIs.length === 0) return { valid: true, errors: [] };
  const absent = validateFn(withoutNullProperties(output)) ? [] : errorsOf(validateFn);
  const failsAsIs = new Set(asIs.map((e) => e.pointer));
  const errors = absent.flatMap((e) => {
    if (!e.nulled) return [{ pointer: e.pointer, message: e.message }];
    return failsAsIs.has(e.pointer)
      ? [{ pointer: e.pointer, message: "is required, but the document does not hold a value for it (null)" }]
      : [];
  });
  return { valid: errors.length === 0, errors };

  function errorsOf(fn: ValidateFunction): { pointer: string; message: string; nulled: boolean }[] {
    return (fn.errors ?? []).map((e: ErrorObject) => {
      const pointer = errorPointer(e);
      return { pointer, message: e.message ?? e.keyword, nulled: e.keyword === "required" && valueAt(output, pointer) === null };
    });
  }
}

/** A copy without the object properties whose value is null (at any depth; array items stay). */
function withoutNullProperties(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNullProperties);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== null)
      .map(([k, v]) => [k, withoutNullProperties(v)]),
  );
}

function valueAt(root: unknown, pointer: string): unknown {
  let node = root;
  for (const raw of pointer.split("/").slice(1)) {
    const key = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    if (typeof node !== "object" || node === null || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function errorPointer(e: ErrorObject): string {
  const missing = (e.params as { missingProperty?: unknown }).missingProperty;
  if (e.keyword === "required" && typeof missing === "string")
    return `${e.instancePath}/${missing.replaceAll("~", "~0").replaceAll("/", "~1")}`;
  return e.instancePath;
}
