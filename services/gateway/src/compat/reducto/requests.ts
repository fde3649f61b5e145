import type { CompatInfo, VendorOp } from "@quire/contracts";
import { ErrorCode, QuireError } from "@quire/runtime";
import type { OperationName } from "../../operations.js";
import { unsupported } from "../common.js";

type Json = Record<string, unknown>;

/** Reducto ops → Quire operations: parse is Quire's extract, extract is Quire's schema, split is split. */
export const OPERATION_OF: Record<VendorOp, OperationName> = { parse: "extract", extract: "schema", split: "split" };

/** `reducto://file_<hex>` (what /upload answers) or a bare Quire file id. */
export const reductoFileId = (fileId: string): string => `reducto://${fileId}`;

const obj = (v: unknown): Json | undefined => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Json) : undefined);

/** `input`: a URL, a `reducto://` file id, a one-item list of those, or `{file_id | url}`. */
function inputFields(input: unknown): { fields: Json; fileId?: string | undefined } {
  let v = input;
  if (Array.isArray(v)) {
    if (v.length !== 1) throw new QuireError(ErrorCode.InvalidArgument, "input: Quire processes one document per job; send one input");
    v = v[0];
  }
  const o = obj(v);
  if (o) v = o.file_id ?? o.url ?? o.presigned_url;
  if (typeof v !== "string" || v.trim() === "")
    throw new QuireError(ErrorCode.InvalidArgument, "input must be a reducto:// file id (from /upload) or an http(s) URL");
  if (v.startsWith("jobid://")) throw unsupported("input jobid:// (reusing an earlier parse)");
  if (/^https?:\/\//.test(v)) return { fields: { file_url: v } };
  const id = v.replace(/^reducto:\/\//, "");
  if (!/^file_[0-9a-f]{64}$/.test(id))
    throw new QuireError(ErrorCode.NotFound, `file ${v.slice(0, 100)} not found (upload it with POST /upload)`);
  return { fields: { file_id: id }, fileId: reductoFileId(id) };
}

/** `settings.page_range` / `parsing.settings.page_range`: {start, end} or a list of them → Quire's "1-3,7". */
function pagesOf(body: Json): string | undefined {
  const settings = obj(body.settings) ?? obj(obj(body.parsing)?.settings);
  const pr = settings?.page_range;
  if (pr === undefined || pr === null) return undefined;
  const ranges = (Array.isArray(pr) ? pr : [pr]).map((r) => {
    const o = obj(r);
    const start = Number(o?.start ?? 1);
    const end = o?.end === undefined || o.end === null ? undefined : Number(o.end);
    if (!Number.isInteger(start) || start < 1 || (end !== undefined && (!Number.isInteger(end) || end < start)))
      throw new QuireError(ErrorCode.InvalidArgument, "settings.page_range: start and end are 1-based pages, start <= end");
    return end === undefined ? `${start}-${start + 9999}` : `${start}-${end}`;
  });
  return ranges.join(",");
}

export interface ReductoRequest {
  operation: OperationName;
  fields: Json;
  info: CompatInfo;
  /** async.webhook.url (direct mode). */
  webhookUrl?: string | undefined;
}

/**
 * A Reducto body → the Quire request fields of the same job. `isAsync`: the `_async` routes, or
 * an `async` object in the body of a sync route (as the SDK's `run({ async })` sends).
 */
export function toQuireRequest(op: VendorOp, body: Json, asyncRoute: boolean): ReductoRequest {
  const { fields: input, fileId } = inputFields(body.input);
  const asyncOpts = obj(body.async);
  const isAsync = asyncRoute || asyncOpts !== undefined;
  const webhook = obj(asyncOpts?.webhook);
  let webhookUrl: string | undefined;
  if (webhook) {
    if (webhook.mode === "svix") throw unsupported('async.webhook mode "svix" (use mode "direct" with a url)');
    if (webhook.mode === "direct" || webhook.url !== undefined) {
      if (typeof webhook.url !== "string") throw new QuireError(ErrorCode.InvalidArgument, "async.webhook.url: direct mode needs a url");
      webhookUrl = webhook.url;
    }
  }
  const info: CompatInfo = { vendor: "reducto", op, fileId, metadata: asyncOpts?.metadata ?? undefined };
  const pages = pagesOf(body);
  const fields: Json = { ...input, async: isAsync, ...(pages ? { pages } : {}), ...(webhookUrl ? { webhook_url: webhookUrl } : {}) };

  if (op === "extract") {
    const instructions = obj(body.instructions);
    const schema = obj(instructions?.schema ?? body.schema);
    if (!schema) throw new QuireError(ErrorCode.InvalidArgument, "instructions.schema: a JSON Schema object is required");
    const prompt = instructions?.system_prompt ?? body.system_prompt;
    const settings = obj(body.settings);
    info.arrayExtract = settings?.array_extract === true || obj(settings?.array_extract)?.enabled === true || body.array_extract === true;
    fields.schema_config = {
      input_schema: schema,
      ...(typeof prompt === "string" && prompt ? { schema_prompt: prompt.slice(0, 4000) } : {}),
    };
  } else if (op === "split") {
    const desc = body.split_description;
    if (!Array.isArray(desc) || desc.length === 0)
      throw new QuireError(ErrorCode.InvalidArgument, "split_description: a list of {name, description} is required");
    const rules = body.split_rules;
    fields.split_config = {
      split_input: desc.map((d) => {
        const o = obj(d) ?? {};
        return {
          name: o.name,
          description: o.description ?? "",
          ...(typeof o.partition_key === "string" && o.partition_key ? { partition_key: o.partition_key } : {}),
        };
      }),
      ...(typeof rules === "string" && rules ? { split_rules: rules } : {}),
    };
  } else if (obj(obj(body.formatting))?.table_output_format === "html") {
    fields.tables = "html";
  }
  return { operation: OPERATION_OF[op], fields, info, webhookUrl };
}
