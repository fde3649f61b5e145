/**
 * The user's JSON Schema → the field tree the engines fill. Walks only the subset the engines
 * can honour and refuses everything else with the JSON pointer of the offending keyword, so a
 * user learns what to change instead of getting a silently partial answer.
 */
import { ErrorCode, QuireError } from "@quire/runtime";
import type { ArrayField, EnumValue, Field, ObjectField, ScalarField, ScalarFormat, ScalarType } from "./types.js";

/** Nesting levels of fields, the root object being level 1. */
export const MAX_SCHEMA_DEPTH = 8;
/** Properties over the whole tree. */
export const MAX_SCHEMA_PROPERTIES = 500;

type Json = Record<string, unknown>;

const ANNOTATIONS = new Set(["title", "description", "examples", "default", "$comment", "deprecated", "readOnly", "writeOnly"]);
const ROOT_ONLY = new Set(["$schema", "$id", "$defs", "definitions"]);
const BY_TYPE: Record<ScalarType | "object" | "array", ReadonlySet<string>> = {
  string: new Set(["format", "minLength", "maxLength", "pattern"]),
  number: new Set(["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"]),
  integer: new Set(["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"]),
  boolean: new Set(),
  object: new Set(["properties", "required", "additionalProperties"]),
  array: new Set(["items", "minItems", "maxItems", "uniqueItems"]),
};
const FORMATS: ReadonlySet<string> = new Set<ScalarFormat>(["date", "date-time", "email", "uri"]);
const HINTS: Record<string, string> = {
  patternProperties: "name every property under `properties` instead",
  oneOf: 'only `oneOf: [T, {type: "null"}]` (a nullable T) is supported',
  anyOf: 'only `anyOf: [T, {type: "null"}]` (a nullable T) is supported',
  allOf: "merge the subschemas into one object",
  not: "describe what the value is, not what it is not",
  if: "conditional schemas are not supported",
  then: "conditional schemas are not supported",
  else: "conditional schemas are not supported",
  const: "a constant is not read from a document; leave it out",
  prefixItems: "tuples are not supported: use an array of objects",
  nullable: 'use `type: [T, "null"]`',
};

/** JSON pointer segment escaping (RFC 6901). */
export function pointerSegment(name: string): string {
  return name.replaceAll("~", "~0").replaceAll("/", "~1");
}

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

function refuse(pointer: string, message: string): never {
  throw new QuireError(
    ErrorCode.InvalidSchema,
    `${message} (at ${pointer === "" ? "the schema root" : pointer})`,
    { pointer },
    { retryable: false },
  );
}

interface WalkState {
  root: Json;
  properties: number;
  refs: string[];
}

/**
 * Builds the field tree of a root schema (already known to be a JSON object).
 * @throws QuireError INVALID_SCHEMA with `details.pointer` naming the schema location
 */
export function schemaFields(root: Json): ObjectField {
  const state: WalkState = { root, properties: 0, refs: [] };
  const field = walk(root, "", "", 1, state, true);
  if (field.kind !== "object") refuse("/type", 'the schema\'s root must be an object (`type: "object"` with `properties`)');
  return field;
}

function walk(node: unknown, pointer: string, name: string, depth: number, state: WalkState, isRoot = false): Field {
  if (!isObject(node)) refuse(pointer, "a subschema must be a JSON object");
  if (depth > MAX_SCHEMA_DEPTH) refuse(pointer, `the schema nests deeper than ${MAX_SCHEMA_DEPTH} levels`);
  if ("$ref" in node) return followRef(node, pointer, name, depth, state);
  const nullableOf = nullableBranch(node, pointer);
  if (nullableOf) {
    const inner = walk(nullableOf.schema, nullableOf.pointer, name, depth, state);
    return { ...inner, ...annotations(node), nullable: true };
  }
  const { type, nullable } = fieldType(node, pointer);
  checkKeywords(node, pointer, type, isRoot);
  const base = { name, ...annotations(node), nullable };
  if (type === "object") return objectField(node, pointer, depth, state, base);
  if (type === "array") return arrayField(node, pointer, depth, state, base);
  return scalarField(node, pointer, type, base);
}

function annotations(node: Json): { title?: string; description?: string } {
  const out: { title?: string; description?: string } = {};
  if (typeof node.title === "string") out.title = node.title;
  if (typeof node.description === "string") out.description = node.description;
  return out;
}

function followRef(node: Json, pointer: string, name: string, depth: number, state: WalkState): Field {
  const ref = node.$ref;
  if (typeof ref !== "string") refuse(`${pointer}/$ref`, "`$ref` must be a string");
  if (!ref.startsWith("#"))
    refuse(`${pointer}/$ref`, `remote \`$ref\` "${ref.slice(0, 80)}" is not supported: inline it or point at "#/$defs/..."`);
  for (const key of Object.keys(node)) {
    if (key !== "$ref" && !ANNOTATIONS.has(key)) refuse(`${pointer}/${pointerSegment(key)}`, `\`${key}\` beside \`$ref\` is not supported`);
  }
  if (state.refs.includes(ref)) refuse(`${pointer}/$ref`, `recursive \`$ref\` "${ref}" is not supported`);
  const target = resolvePointer(state.root, ref.slice(1));
  if (target === undefined) refuse(`${pointer}/$ref`, `\`$ref\` "${ref}" points at nothing in this schema`);
  state.refs.push(ref);
  try {
    const field = walk(target, ref.slice(1), name, depth, state);
    return { ...field, ...annotations(node) };
  } finally {
    state.refs.pop();
  }
}

function resolvePointer(root: Json, pointer: string): unknown {
  if (pointer === "") return root;
  let at: unknown = root;
  for (const raw of pointer.split("/").slice(1)) {
    const key = decodeURIComponent(raw).replaceAll("~1", "/").replaceAll("~0", "~");
    if (Array.isArray(at)) at = at[Number(key)];
    else if (isObject(at)) at = Object.hasOwn(at, key) ? at[key] : undefined;
    else return undefined;
  }
  return at;
}

/** `anyOf`/`oneOf` of exactly `[T, {type: "null"}]` → T; any other use is refused. */
function nullableBranch(node: Json, pointer: string): { schema: unknown; pointer: string } | undefined {
  for (const key of ["anyOf", "oneOf"] as const) {
    if (!(key in node)) continue;
    const list = node[key];
    const isNull = (s: unknown) => isObject(s) && s.type === "null" && Object.keys(s).every((k) => k === "type" || ANNOTATIONS.has(k));
    if (!Array.isArray(list) || list.length !== 2 || list.filter(isNull).length !== 1)
      refuse(`${pointer}/${key}`, `\`${key}\` is supported only as a nullable type: ${HINTS[key]}`);
    for (const other of Object.keys(node)) {
      if (other !== key && !ANNOTATIONS.has(other))
        refuse(`${pointer}/${pointerSegment(other)}`, `\`${other}\` beside \`${key}\` is not supported: put it inside the non-null branch`);
    }
    const index = isNull(list[0]) ? 1 : 0;
    return { schema: list[index], pointer: `${pointer}/${key}/${index}` };
  }
  return undefined;
}

function fieldType(node: Json, pointer: string): { type: ScalarType | "object" | "array"; nullable: boolean } {
  const raw = node.type;
  if (raw === undefined) return inferType(node, pointer);
  const list = Array.isArray(raw) ? raw : [raw];
  const named = list.filter((t) => t !== "null");
  const nullable = named.length < list.length;
  if (named.length !== 1) {
    refuse(
      `${pointer}/type`,
      named.length === 0
        ? "a field cannot be only `null`"
        : `a field must have one type (plus optional "null"), not ${JSON.stringify(raw)}`,
    );
  }
  const type = named[0];
  if (type !== "string" && type !== "number" && type !== "integer" && type !== "boolean" && type !== "object" && type !== "array") {
    refuse(`${pointer}/type`, `unsupported type ${JSON.stringify(type)}: use string, number, integer, boolean, object or array`);
  }
  return { type, nullable };
}

function inferType(node: Json, pointer: string): { type: ScalarType | "object" | "array"; nullable: boolean } {
  if ("properties" in node) return { type: "object", nullable: false };
  if ("items" in node) return { type: "array", nullable: false };
  if (Array.isArray(node.enum)) {
    const values = node.enum.filter((v) => v !== null);
    const nullable = values.length < node.enum.length;
    if (values.length > 0 && values.every((v) => typeof v === "string")) return { type: "string", nullable };
    if (values.length > 0 && values.every((v) => typeof v === "number")) return { type: "number", nullable };
    if (values.length > 0 && values.every((v) => typeof v === "boolean")) return { type: "boolean", nullable };
  }
  return refuse(`${pointer}/type`, "every field needs a `type`");
}

function checkKeywords(node: Json, pointer: string, type: ScalarType | "object" | "array", isRoot: boolean): void {
  for (const key of Object.keys(node)) {
    if (key === "type" || key === "enum" || ANNOTATIONS.has(key) || BY_TYPE[type].has(key)) continue;
    if (isRoot && ROOT_ONLY.has(key)) continue;
    const at = `${pointer}/${pointerSegment(key)}`;
    if (ROOT_ONLY.has(key)) refuse(at, `\`${key}\` is only supported at the schema root`);
    const hint = HINTS[key];
    refuse(at, hint ? `\`${key}\` is not supported: ${hint}` : `keyword \`${key}\` is not supported on a ${type} field`);
  }
}

function objectField(
  node: Json,
  pointer: string,
  depth: number,
  state: WalkState,
  base: Pick<ObjectField, "name" | "title" | "description" | "nullable">,
): ObjectField {
  const props = node.properties;
  if (!isObject(props) || Object.keys(props).length === 0)
    refuse(`${pointer}/properties`, "an object field needs `properties` naming at least one property");
  if ("additionalProperties" in node && typeof node.additionalProperties !== "boolean") {
    refuse(`${pointer}/additionalProperties`, "`additionalProperties` may only be true or false: name every property under `properties`");
  }
  const required = node.required ?? [];
  if (!Array.isArray(required) || !required.every((r): r is string => typeof r === "string"))
    refuse(`${pointer}/required`, "`required` must be an array of property names");
  required.forEach((r, i) => {
    if (!Object.hasOwn(props, r)) refuse(`${pointer}/required/${i}`, `required property "${r}" is not under \`properties\``);
  });
  const properties: Array<[string, Field]> = [];
  for (const [key, sub] of Object.entries(props)) {
    if (++state.properties > MAX_SCHEMA_PROPERTIES)
      refuse(`${pointer}/properties/${pointerSegment(key)}`, `the schema has more than ${MAX_SCHEMA_PROPERTIES} properties`);
    properties.push([key, walk(sub, `${pointer}/properties/${pointerSegment(key)}`, key, depth + 1, state)]);
  }
  return { kind: "object", ...base, properties, required };
}

function arrayField(
  node: Json,
  pointer: string,
  depth: number,
  state: WalkState,
  base: Pick<ArrayField, "name" | "title" | "description" | "nullable">,
): ArrayField {
  if (!isObject(node.items)) refuse(`${pointer}/items`, "an array field needs `items`: one schema (an object for line items, or a scalar)");
  const items = walk(node.items, `${pointer}/items`, "", depth + 1, state);
  if (items.kind === "array") refuse(`${pointer}/items`, "arrays of arrays are not supported: use an array of objects");
  return { kind: "array", ...base, items };
}

function scalarField(
  node: Json,
  pointer: string,
  type: ScalarType,
  base: Pick<ScalarField, "name" | "title" | "description" | "nullable">,
): ScalarField {
  const field: ScalarField = { kind: "scalar", ...base, type };
  if ("format" in node) {
    if (type !== "string" || typeof node.format !== "string" || !FORMATS.has(node.format)) {
      refuse(`${pointer}/format`, `unsupported format ${JSON.stringify(node.format)}: use date, date-time, email or uri on a string`);
    }
    field.format = node.format as ScalarFormat;
  }
  if ("enum" in node) field.enum = enumValues(node.enum, `${pointer}/enum`, type, field);
  return field;
}

function enumValues(raw: unknown, pointer: string, type: ScalarType, field: ScalarField): EnumValue[] {
  if (!Array.isArray(raw) || raw.length === 0) refuse(pointer, "`enum` must be a non-empty array");
  const fits = (v: unknown) =>
    v === null ||
    (type === "string"
      ? typeof v === "string"
      : type === "boolean"
        ? typeof v === "boolean"
        : typeof v === "number" && (type === "number" || Number.isInteger(v)));
  raw.forEach((v, i) => {
    if (!fits(v)) refuse(`${pointer}/${i}`, `enum value ${JSON.stringify(v)} is not a ${type}`);
  });
  if (raw.includes(null)) field.nullable = true;
  return raw as EnumValue[];
}
