/**
 * `quire schema <file|url|file_id|extraction_id> --schema schema.json`: submits a schema job,
 * follows its progress on stderr, and prints each filled value with the page it was read on
 * (or the whole result as JSON).
 */
import { readFile, writeFile } from "node:fs/promises";
import { resultOf } from "./operation.js";
import type { SchemaConfig, SchemaOptions, SchemaResult } from "./types.js";
import { submitAndFollow } from "./cli-follow.js";
import {
  EXIT_OK,
  UsageError,
  formatTable,
  oneOf,
  parseOptionFlags,
  requireArg,
  resolveSplitInput,
  stringFlag,
  type CliContext,
} from "./cli-support.js";

export async function schemaCommand(ctx: CliContext): Promise<number> {
  const arg = requireArg(ctx, "file, URL, file_id or extraction_id");
  const options = await schemaOptions(ctx); // a bad schema file is reported before anything is uploaded
  const input = await resolveSplitInput(arg);
  const job = await submitAndFollow(ctx, () => ctx.quire.schema.runJob(input, options));
  if (typeof job === "number") return job;
  await writeResult(ctx, resultOf(job, "schema"));
  return EXIT_OK;
}

async function schemaOptions(ctx: CliContext): Promise<SchemaOptions> {
  const path = stringFlag(ctx.flags, "schema");
  if (!path) throw new UsageError("missing --schema <schema.json>: the JSON Schema to fill");
  const prompt = stringFlag(ctx.flags, "prompt");
  const schemaConfig: SchemaConfig = {
    input_schema: schemaFile(await readFile(path, "utf8"), path),
    ...(prompt ? { schema_prompt: prompt } : {}),
  };
  const engine = oneOf(ctx.flags, "engine", ["deterministic", "llm"] as const);
  return { ...parseOptionFlags(ctx.flags), schemaConfig, ...(engine ? { engine } : {}) };
}

/**
 * `schema.json`: a JSON Schema object. Only that it is a JSON object is checked here; the server
 * checks the schema itself and names the JSON pointer of any problem (`INVALID_SCHEMA`).
 */
export function schemaFile(text: string, path: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${path} is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new UsageError(`${path} must hold a JSON Schema object, e.g. {"type": "object", "properties": {"total": {"type": "number"}}}`);
  return parsed as Record<string, unknown>;
}

/** `--out` gets the JSON (and `--json` prints it); otherwise a table of values goes to stdout. */
async function writeResult(ctx: CliContext, result: SchemaResult): Promise<void> {
  const out = stringFlag(ctx.flags, "out");
  const json = `${JSON.stringify(result, null, 2)}\n`;
  if (out) await writeFile(out, json);
  if (ctx.flags["json"]) ctx.stdout.write(json);
  else if (!out) ctx.stdout.write(valuesTable(result));
  const { valid, errors } = result.validation;
  ctx.stderr.write(
    `filled ${result.usage.fields_filled} value(s); output ${valid ? "valid" : `INVALID against the schema (${errors.length} error(s))`}${out ? ` → ${out}` : ""}\n`,
  );
  for (const e of errors) ctx.stderr.write(`  ${e.pointer || "/"}: ${e.message}\n`);
  ctx.stderr.write(`to fill again without parsing: quire schema ${result.extraction_id} --schema <file>\n`);
}

/**
 * Every leaf of `schema_output` by JSON pointer, with the page it was read on and the
 * confidence; a value the document does not hold shows as `null` with no page:
 *
 * ```
 * FIELD            VALUE     PAGE  CONFIDENCE
 * /invoice_number  INV-1042  1     0.95
 * /due_date        null
 * ```
 */
export function valuesTable(result: SchemaResult): string {
  const rows = leaves(result.schema_output, "").map(([pointer, value]) => {
    const cited = result.citations[pointer]?.[0];
    const confidence = result.confidence[pointer];
    return [
      pointer,
      JSON.stringify(value) ?? "null",
      cited ? String(cited.page) : "",
      confidence === undefined ? "" : confidence.toFixed(2),
    ];
  });
  return formatTable(["FIELD", "VALUE", "PAGE", "CONFIDENCE"], rows);
}

function leaves(value: unknown, pointer: string): [string, unknown][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, `${pointer}/${i}`));
  if (typeof value === "object" && value !== null)
    return Object.entries(value).flatMap(([k, v]) => leaves(v, `${pointer}/${k.replaceAll("~", "~0").replaceAll("/", "~1")}`));
  return [[pointer, value]];
}
