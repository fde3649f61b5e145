/** Shapes shared by the schema engines: the checked schema's field tree and the outcome of a fill. */
import type { BBox } from "@quire/contracts";

/** Scalar JSON types a field may hold (besides null). */
export type ScalarType = "string" | "number" | "integer" | "boolean";
/** The string formats the engines know how to produce and check. */
export type ScalarFormat = "date" | "date-time" | "email" | "uri";
/** A value an `enum` may list. */
export type EnumValue = string | number | boolean | null;

interface FieldBase {
  /** Property name in its parent object ("" for the root and for array items). */
  name: string;
  title?: string;
  description?: string;
  /** `type: [T, "null"]` or `anyOf: [T, {type: "null"}]`. */
  nullable: boolean;
}

/** A string, number, integer or boolean property. */
export interface ScalarField extends FieldBase {
  kind: "scalar";
  type: ScalarType;
  format?: ScalarFormat;
  enum?: EnumValue[];
}

/** An object property (or the root). */
export interface ObjectField extends FieldBase {
  kind: "object";
  /** In schema order. */
  properties: Array<[string, Field]>;
  required: string[];
}

/** An array of objects (line items) or of scalars. */
export interface ArrayField extends FieldBase {
  kind: "array";
  items: ScalarField | ObjectField;
}

/** Any node of the field tree. */
export type Field = ScalarField | ObjectField | ArrayField;

/** What `checkInputSchema` returns: the user's schema, compiled, plus the field tree the engines walk. */
export interface CheckedSchema {
  schema: Record<string, unknown>;
  dialect: "2020-12" | "draft-07";
  root: ObjectField;
  /** Runs the compiled ajv validator; `errors` use JSON pointers into the output. */
  validate(output: unknown): Validation;
}

/** One piece of the document a value was read from. */
export interface Citation {
  /** 1-based page number. */
  page: number;
  /** The block's or table cell's box, normalized 0..1 from the page's top-left corner. */
  bbox: BBox;
  /** The block's or cell's text, as the extraction holds it. */
  text: string;
  /** The block read (for a table cell: the table's block). */
  block_id: string;
}

/** One way the output does not fit the schema. */
export interface OutputError {
  /** JSON pointer into the output ("" = the whole output). */
  pointer: string;
  message: string;
}

/** The output checked against the user's schema. */
export interface Validation {
  valid: boolean;
  errors: OutputError[];
}

/** The result of either engine; pointers are JSON pointers into `schema_output` (`/total`, `/line_items/0/amount`). */
export interface SchemaOutcome {
  schema_output: Record<string, unknown>;
  /** One entry per filled (non-null) scalar. */
  citations: Record<string, Citation[]>;
  /** 0..1 per filled scalar. */
  confidence: Record<string, number>;
  validation: Validation;
}

/** The LLM engine's outcome: also the pointers whose answer was not found in the document (set to null). */
export interface LlmOutcome extends SchemaOutcome {
  dropped: string[];
}
