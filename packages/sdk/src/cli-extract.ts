/** `quire extract <file|url|file_id>`: submits a job, follows its progress on stderr, and writes the result. */
import { writeFile } from "node:fs/promises";
import { compact } from "./compact.js";
import { resultOf } from "./operation.js";
import type { ChunkingOptions, Extraction, ExtractOptions } from "./types.js";
import { submitAndFollow } from "./cli-follow.js";
import { EXIT_OK, UsageError, oneOf, parseOptionFlags, requireArg, resolveInput, stringFlag, type CliContext } from "./cli-support.js";

export async function extractCommand(ctx: CliContext): Promise<number> {
  const input = await resolveInput(requireArg(ctx, "file, URL or file_id"));
  const options = extractOptions(ctx);
  const job = await submitAndFollow(ctx, () => ctx.quire.extract.submit(input, options));
  if (typeof job === "number") return job;
  await writeResult(ctx, resultOf(job, "extract"));
  return EXIT_OK;
}

function extractOptions(ctx: CliContext): ExtractOptions {
  const chunking = chunkingFlag(stringFlag(ctx.flags, "chunking"));
  return {
    ...parseOptionFlags(ctx.flags),
    ...compact({ tables: oneOf(ctx.flags, "tables", ["markdown", "html"] as const) }),
    ...(chunking ? { chunking } : {}),
    ...(ctx.flags["persist"] ? { persist: true } : {}),
  };
}

const CHUNKING_STRATEGIES: readonly ChunkingOptions["strategy"][] = ["section", "page", "size"];

/** `--chunking section|page|size[:max_chars]`, e.g. `size:2000`; the server checks the range. */
export function chunkingFlag(value: string | undefined): ChunkingOptions | undefined {
  if (value === undefined) return undefined;
  const match = /^(\w+)(?::(\d+))?$/.exec(value.trim());
  const strategy = CHUNKING_STRATEGIES.find((s) => s === match?.[1]);
  if (!match || !strategy)
    throw new UsageError(
      `--chunking must be ${CHUNKING_STRATEGIES.join("|")}, optionally with :max_chars (e.g. size:2000), not ${JSON.stringify(value)}`,
    );
  return match[2] === undefined ? { strategy } : { strategy, maxChars: Number(match[2]) };
}

/** `--out` gets the JSON, `--markdown` the markdown; with neither, the JSON goes to stdout. */
async function writeResult(ctx: CliContext, result: Extraction): Promise<void> {
  const out = stringFlag(ctx.flags, "out");
  const markdown = stringFlag(ctx.flags, "markdown");
  if (out) await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
  if (markdown) await writeFile(markdown, result.markdown);
  if (!out && !markdown) {
    ctx.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  const written = [out, markdown].filter(Boolean).join(" and ");
  ctx.stderr.write(`extracted ${result.page_count} page(s) → ${written}\n`);
}
