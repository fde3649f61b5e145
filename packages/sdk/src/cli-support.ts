/** What every CLI command shares: flags, inputs, and turning errors into messages. */
import { openAsBlob } from "node:fs";
import { compact } from "./compact.js";
import { stat } from "node:fs/promises";
import { basename } from "node:path";
import type { Quire } from "./client.js";
import { QuireApiError, QuireConnectionError, QuireJobFailedError, QuireTimeoutError } from "./errors.js";
import type { ExtractInput, ParseOptions, SplitInput } from "./types.js";

export type Flags = Record<string, string | boolean | undefined>;

export interface CliContext {
  quire: Quire;
  /** Positionals after the command words, e.g. the file of `quire extract <file>`. */
  args: string[];
  flags: Flags;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
  /** Time between job polls, in ms (`QUIRE_POLL_INTERVAL_MS`). */
  pollIntervalMs: number | undefined;
}

/** Wrong invocation: exit 2 with a pointer to `--help`. */
export class UsageError extends Error {
  override name = "UsageError";
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
/** 128 + SIGINT, what shells report for a Ctrl-C'd command. */
export const EXIT_INTERRUPTED = 130;

export function stringFlag(flags: Flags, name: string): string | undefined {
  const v = flags[name];
  return typeof v === "string" ? v : undefined;
}

export function oneOf<T extends string>(flags: Flags, name: string, allowed: readonly T[]): T | undefined {
  const v = stringFlag(flags, name);
  if (v === undefined || (allowed as readonly string[]).includes(v)) return v as T | undefined;
  throw new UsageError(`--${name} must be one of: ${allowed.join(", ")}`);
}

export function intFlag(flags: Flags, name: string): number | undefined {
  const v = stringFlag(flags, name);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new UsageError(`--${name} must be a whole number, not ${JSON.stringify(v)}`);
  return Number(v);
}

export function requireArg(ctx: CliContext, what: string): string {
  const v = ctx.args[0];
  if (v === undefined) throw new UsageError(`missing ${what}`);
  if (ctx.args.length > 1) throw new UsageError(`expected one ${what}, got ${ctx.args.length}`);
  return v;
}

/** A local path is streamed from disk (`openAsBlob`), so large files are not read into memory first. */
export async function readLocalFile(path: string): Promise<{ file: Blob; filename: string }> {
  // openAsBlob's own error ("Unable to open file as blob") names neither the file nor the cause.
  const info = await stat(path);
  if (!info.isFile()) throw new UsageError(`not a file: ${path}`);
  return { file: await openAsBlob(path), filename: basename(path) };
}

/** `https://…` → fetched by the server; `file_<64 hex>` → an earlier upload; anything else → a local file. */
export async function resolveInput(arg: string): Promise<ExtractInput> {
  if (/^https?:\/\//i.test(arg)) return { fileUrl: arg };
  if (/^file_[0-9a-f]{64}$/.test(arg)) return { fileId: arg };
  return readLocalFile(arg);
}

/** `quire split` also takes an earlier extraction: `ext_<32 hex>`, as an extract or split result's `extraction_id`. */
export async function resolveSplitInput(arg: string): Promise<SplitInput> {
  if (/^ext_[0-9a-f]{32}$/.test(arg)) return { extractionId: arg };
  return resolveInput(arg);
}

/** `--pages`, `--password`, `--ocr`, `--languages a,b`: how the document is read, for extract and split. */
export function parseOptionFlags(flags: Flags): ParseOptions {
  const languages = stringFlag(flags, "languages")
    ?.split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return compact({
    pages: stringFlag(flags, "pages"),
    password: stringFlag(flags, "password"),
    ocr: oneOf(flags, "ocr", ["auto", "always", "never"] as const),
    languages,
  });
}

/** Left-aligned columns as wide as their widest cell, under a header; the last column is not padded. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? "").length)));
  const line = (r: readonly string[]): string =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return `${all.map(line).join("\n")}\n`;
}

/** One or more lines for stderr, naming the API's error code where there is one. */
export function formatError(err: unknown): string {
  if (err instanceof QuireApiError) return formatApiError(err);
  if (err instanceof QuireJobFailedError) return `error: job ${err.jobId} ${err.status}: ${err.code}: ${err.message}`;
  if (err instanceof QuireConnectionError)
    return `error: ${err.message}\nhint: is Quire running there? Set QUIRE_BASE_URL or pass --base-url.`;
  if (err instanceof QuireTimeoutError) return `error: ${err.message}`;
  const code = (err as { code?: unknown }).code;
  const path = (err as { path?: unknown }).path;
  if (code === "ENOENT" && typeof path === "string") return `error: no such file: ${path}`;
  if (code === "EISDIR" || code === "EACCES") return `error: cannot read ${typeof path === "string" ? path : "the file"} (${code})`;
  return `error: ${err instanceof Error ? err.message : String(err)}`;
}

function formatApiError(err: QuireApiError): string {
  const lines = [`error: ${err.code} (HTTP ${err.status}): ${err.message}`];
  const problems = err.details["problems"];
  if (Array.isArray(problems) && problems.length > 1)
    for (const p of problems as { field?: unknown; message?: unknown }[]) lines.push(`  ${String(p.field)}: ${String(p.message)}`);
  if (err.status === 401) lines.push("hint: set QUIRE_API_KEY or pass --api-key");
  if (err.requestId) lines.push(`request id: ${err.requestId}`);
  return lines.join("\n");
}
