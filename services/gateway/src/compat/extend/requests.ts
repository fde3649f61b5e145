import type { CompatInfo, VendorOp } from "@quire/contracts";
import { ErrorCode, QuireError } from "@quire/runtime";
import type { OperationName } from "../../operations.js";
import { unsupported } from "../common.js";

type Json = Record<string, unknown>;

/** Extend runs → Quire operations: parse is Quire's extract, extract is Quire's schema, split is split. */
export const OPERATION_OF: Record<VendorOp, OperationName> = { parse: "extract", extract: "schema", split: "split" };

const str = (v: unknown, fallback: string): string => (typeof v === "string" && v ? v : fallback);
const obj = (v: unknown): Json | undefined => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Json) : undefined);

export interface ExtendRequest {
  operation: OperationName;
  fields: Json;
  info: CompatInfo;
}

/** `file`: `{id}` (from /files/upload, a Quire file id) or `{url, name?}`. */
function fileFields(file: unknown): { fields: Json; fileId?: string | undefined; fileName?: string | undefined } {
  const f = obj(file);
  if (!f) throw new QuireError(ErrorCode.InvalidArgument, "file: send {id} (from POST /files/upload) or {url}");
  if (typeof f.id === "string") {
    if (!/^file_[0-9a-f]{64}$/.test(f.id)) throw new QuireError(ErrorCode.NotFound, `file ${f.id.slice(0, 100)} not found`);
    return { fields: { file_id: f.id }, fileId: f.id };
  }
  if (typeof f.url === "string") return { fields: { file_url: f.url }, fileName: typeof f.name === "string" ? f.name : undefined };
  if (f.text !== undefined) throw unsupported("file.text (raw text input)");
  throw new QuireError(ErrorCode.InvalidArgument, "file: send {id} (from POST /files/upload) or {url}");
}

/** An Extend create body (camelCase) → the Quire request fields of the same job. */
export function toQuireRequest(op: VendorOp, body: Json, isAsync: boolean): ExtendRequest {
  const { fields: input, fileId, fileName } = fileFields(body.file);
  if (body.extractor !== undefined || body.splitter !== undefined || body.classifier !== undefined)
    throw unsupported("saved processors (extractor / splitter ids): send config inline");
  const config = obj(body.config) ?? {};
  const metadata = body.metadata === undefined || body.metadata === null ? undefined : obj(body.metadata);
  if (body.metadata !== undefined && body.metadata !== null && !metadata)
    throw new QuireError(ErrorCode.InvalidArgument, "metadata must be an object");
  const info: CompatInfo = { vendor: "extend", op, fileId, fileName, metadata };
  const fields: Json = { ...input, async: isAsync };

  if (op === "extract") {
    const schema = obj(config.schema);
    if (!schema) throw new QuireError(ErrorCode.InvalidArgument, "config.schema: a JSON Schema object is required");
    const rules = config.extractionRules;
    fields.schema_config = { input_schema: schema, ...(typeof rules === "string" && rules ? { schema_prompt: rules.slice(0, 4000) } : {}) };
  } else if (op === "split") {
    const classes = config.splitClassifications;
    if (!Array.isArray(classes) || classes.length === 0)
      throw new QuireError(ErrorCode.InvalidArgument, "config.splitClassifications: a list of {id, type, description} is required");
    const all = classes.map((c) => obj(c) ?? {});
    // Extend's "other" classification takes whatever matches nothing: Quire's unassigned pages.
    const other = all.length > 1 ? all.find((c) => c.type === "other") : undefined;
    const sections = all.filter((c) => c !== other);
    info.classes = Object.fromEntries(sections.map((c) => [str(c.type, str(c.id, "")), str(c.id, str(c.type, ""))]));
    if (other) {
      info.other = "other";
      info.classes.other = str(other.id, "other");
    }
    info.config = { splitClassifications: all };
    const rules = config.splitRules;
    fields.split_config = {
      split_input: sections.map((c) => ({
        name: str(c.type, str(c.id, "")),
        description: c.description ?? "",
        ...(typeof c.identifierKey === "string" && c.identifierKey ? { partition_key: c.identifierKey } : {}),
      })),
      ...(typeof rules === "string" && rules ? { split_rules: rules } : {}),
    };
  } else {
    const target = config.target;
    if (target !== undefined && target !== "markdown" && target !== "spatial")
      throw new QuireError(ErrorCode.InvalidArgument, 'config.target must be "markdown" or "spatial"');
    const strategy = obj(config.chunkingStrategy)?.type;
    if (strategy === "section" || strategy === "page") fields.chunking = { strategy };
    info.config = config;
  }
  return { operation: OPERATION_OF[op], fields, info };
}
