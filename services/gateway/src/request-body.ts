import type { Context } from "hono";
import { z } from "zod";
import { ErrorCode, QuireError } from "@quire/runtime";

export interface ParsedBody {
  fields: Record<string, unknown>;
  file: File | null;
}

/**
 * Reads a JSON or multipart body into plain fields. In multipart, structured options travel
 * as JSON-encoded fields (`metadata`, `languages`, `chunking`, `split_config`, `schema_config`) and scalars as
 * text (`async=true`).
 */
export async function readBody(c: Context): Promise<ParsedBody> {
  const type = c.req.header("content-type") ?? "";
  if (type.startsWith("multipart/form-data")) return readMultipart(c);
  if (type.startsWith("application/json") || type === "") {
    const text = await c.req.text();
    if (text.trim() === "") return { fields: {}, file: null };
    try {
      const fields = JSON.parse(text) as unknown;
      if (typeof fields !== "object" || fields === null || Array.isArray(fields))
        throw new QuireError(ErrorCode.InvalidArgument, "the JSON body must be an object");
      return { fields: fields as Record<string, unknown>, file: null };
    } catch (err) {
      if (err instanceof QuireError) throw err;
      throw new QuireError(ErrorCode.InvalidArgument, "the body is not valid JSON");
    }
  }
  throw new QuireError(ErrorCode.UnsupportedFileType, `send application/json or multipart/form-data, not ${type.split(";")[0]}`);
}

const JSON_FIELDS = new Set(["metadata", "languages", "chunking", "split_config", "schema_config"]);
const BOOL_FIELDS = new Set(["async", "persist"]);

async function readMultipart(c: Context): Promise<ParsedBody> {
  let form: Record<string, string | File | (string | File)[]>;
  try {
    form = await c.req.parseBody({ all: true });
  } catch {
    throw new QuireError(ErrorCode.InvalidArgument, "the multipart body could not be read");
  }
  let file: File | null = null;
  const fields: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(form)) {
    if (Array.isArray(value)) throw new QuireError(ErrorCode.InvalidArgument, `field ${name} was sent more than once`);
    if (name === "file") {
      if (typeof value === "string") throw new QuireError(ErrorCode.InvalidArgument, "field file must be a file part");
      file = value;
    } else if (typeof value === "string") {
      fields[name] = convertField(name, value);
    }
  }
  return { fields, file };
}

function convertField(name: string, value: string): unknown {
  if (BOOL_FIELDS.has(name)) {
    if (value === "true" || value === "false") return value === "true";
    throw new QuireError(ErrorCode.InvalidArgument, `${name} must be true or false`);
  }
  if (name === "languages" && !value.trim().startsWith("["))
    return value
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
  if (JSON_FIELDS.has(name)) {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      throw new QuireError(ErrorCode.InvalidArgument, `${name} must be JSON-encoded in multipart requests`);
    }
  }
  return value;
}

/** zod → 400 INVALID_ARGUMENT with every problem listed in details. */
export function validate<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const problems = r.error.issues.map((i) => ({ field: i.path.join(".") || "(body)", message: i.message }));
  const first = problems[0];
  throw new QuireError(ErrorCode.InvalidArgument, first ? `${first.field}: ${first.message}` : "invalid request", { problems });
}
