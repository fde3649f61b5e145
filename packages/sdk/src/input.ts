/** Turns a processing call's input plus options into the request body the gateway expects. */
import type { RequestBody } from "./http.js";
import type {
  ChunkingOptions,
  ExtractInput,
  ExtractOptions,
  ParseOptions,
  ProcessingOptions,
  SchemaInput,
  SchemaOptions,
  SplitInput,
  SplitOptions,
} from "./types.js";

/** Used when neither a filename nor a `File` name is given; the server sniffs the type from the bytes. */
const DEFAULT_FILENAME = "document";

const EXTRACT_INPUTS = "{ file }, { fileUrl } or { fileId }";
const SPLIT_INPUTS = "{ file }, { fileUrl }, { fileId } or { extractionId }";

/**
 * JSON for `fileUrl` / `fileId` / `extractionId`; multipart for bytes, where structured options
 * travel as JSON-encoded fields and scalars as text (the gateway's multipart convention).
 */
function processingBody(input: SplitInput, fields: Record<string, unknown>, takesExtraction: boolean): RequestBody {
  if ("file" in input) return { form: multipart(input.file, input.filename, fields) };
  if ("fileUrl" in input) return { json: { file_url: input.fileUrl, ...fields } };
  if ("fileId" in input) return { json: { file_id: input.fileId, ...fields } };
  if (takesExtraction && "extractionId" in input) return { json: { extraction_id: input.extractionId, ...fields } };
  throw new TypeError(`input must be one of ${takesExtraction ? SPLIT_INPUTS : EXTRACT_INPUTS}`);
}

/** `POST /v1/extract`. */
export function extractBody(input: ExtractInput, o: ExtractOptions, asJob: boolean): RequestBody {
  const fields: Record<string, unknown> = parseFields(o);
  if (o.tables !== undefined) fields["tables"] = o.tables;
  if (o.chunking !== undefined) fields["chunking"] = chunkingField(o.chunking);
  if (o.persist !== undefined) fields["persist"] = o.persist;
  return processingBody(input, { ...fields, ...commonFields(o, asJob) }, false);
}

/** `POST /v1/split`. */
export function splitBody(input: SplitInput, o: SplitOptions, asJob: boolean): RequestBody {
  if (typeof o?.splitConfig !== "object" || o.splitConfig === null)
    throw new TypeError("split needs options.splitConfig: { split_input: [{ name, description, partition_key? }] }");
  const fields: Record<string, unknown> = { split_config: o.splitConfig, ...parseFields(o) };
  if (o.engine !== undefined) fields["engine"] = o.engine;
  return processingBody(input, { ...fields, ...commonFields(o, asJob) }, true);
}

/** `POST /v1/schema`. */
export function schemaBody(input: SchemaInput, o: SchemaOptions, asJob: boolean): RequestBody {
  if (typeof o?.schemaConfig?.input_schema !== "object" || o.schemaConfig.input_schema === null)
    throw new TypeError("schema needs options.schemaConfig: { input_schema: <a JSON Schema object>, schema_prompt? }");
  const fields: Record<string, unknown> = { schema_config: o.schemaConfig, ...parseFields(o) };
  if (o.engine !== undefined) fields["engine"] = o.engine;
  return processingBody(input, { ...fields, ...commonFields(o, asJob) }, true);
}

/** A multipart body holding just the file, for `POST /v1/files`. */
export function fileForm(data: Uint8Array | Blob, filename?: string): FormData {
  return multipart(data, filename, {});
}

function parseFields(o: ParseOptions): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  if (o.pages !== undefined) fields["pages"] = o.pages;
  if (o.password !== undefined) fields["password"] = o.password;
  if (o.ocr !== undefined) fields["ocr"] = o.ocr;
  if (o.languages !== undefined) fields["languages"] = o.languages;
  return fields;
}

function commonFields(o: ProcessingOptions, asJob: boolean): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  if (o.metadata !== undefined) fields["metadata"] = o.metadata;
  if (o.webhookUrl !== undefined) fields["webhook_url"] = o.webhookUrl;
  if (o.webhookSecret !== undefined) fields["webhook_secret"] = o.webhookSecret;
  if (o.webhookEvents !== undefined) fields["webhook_events"] = o.webhookEvents;
  if (asJob) fields["async"] = true;
  return fields;
}

/** `{ strategy, maxChars }` → the wire's `{ strategy, max_chars }`. */
function chunkingField(c: ChunkingOptions): Record<string, unknown> {
  return { strategy: c.strategy, ...(c.maxChars !== undefined ? { max_chars: c.maxChars } : {}) };
}

function multipart(data: Uint8Array | Blob, filename: string | undefined, fields: Record<string, unknown>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, typeof value === "string" ? value : JSON.stringify(value));
  form.append("file", toBlob(data), filename ?? nameOf(data) ?? DEFAULT_FILENAME);
  return form;
}

function toBlob(data: Uint8Array | Blob): Blob {
  if (data instanceof Blob) return data;
  // Blob parts must be backed by an ArrayBuffer; copy views over a SharedArrayBuffer.
  const bytes = data.buffer instanceof ArrayBuffer ? (data as Uint8Array<ArrayBuffer>) : new Uint8Array(data);
  return new Blob([bytes]);
}

function nameOf(data: Uint8Array | Blob): string | undefined {
  const name = (data as { name?: unknown }).name;
  return typeof name === "string" && name !== "" ? name : undefined;
}
