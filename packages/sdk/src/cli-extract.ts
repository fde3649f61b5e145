/**
 * `quire extract <file|url|file_id>`: submits a job, follows its progress on stderr, and writes
 * the result. It always submits as a job (never the sync call), so the job id is known from the
 * start: progress can be shown, and Ctrl-C can offer to cancel the job on the server.
 */
import { writeFile } from "node:fs/promises";
import { createInterface } from "node:readline/promises";
import { isQuireApiError } from "./errors.js";
import { resultOf } from "./extract.js";
import { createProgressReporter } from "./progress.js";
import type { ChunkingOptions, Extraction, ExtractOptions, Job } from "./types.js";
import {
  EXIT_INTERRUPTED, EXIT_OK, UsageError, oneOf, requireArg, resolveInput, stringFlag, type CliContext,
} from "./cli-support.js";

class Interrupted extends Error {
  override name = "Interrupted";
}

export async function extractCommand(ctx: CliContext): Promise<number> {
  const input = await resolveInput(requireArg(ctx, "file, URL or file_id"));
  const jobId = await ctx.quire.extract.submit(input, extractOptions(ctx));
  if (ctx.flags["async"]) {
    ctx.stdout.write(`${jobId}\n`);
    ctx.stderr.write(`submitted; follow it with: quire jobs get ${jobId}\n`);
    return EXIT_OK;
  }
  const job = await followJob(ctx, jobId);
  if (job === null) return interrupted(ctx, jobId);
  await writeResult(ctx, resultOf(job));
  return EXIT_OK;
}

function extractOptions(ctx: CliContext): ExtractOptions {
  const languages = stringFlag(ctx.flags, "languages")?.split(",").map((s) => s.trim()).filter(Boolean);
  const chunking = chunkingFlag(stringFlag(ctx.flags, "chunking"));
  return {
    pages: stringFlag(ctx.flags, "pages"),
    password: stringFlag(ctx.flags, "password"),
    ocr: oneOf(ctx.flags, "ocr", ["auto", "always", "never"] as const),
    tables: oneOf(ctx.flags, "tables", ["markdown", "html"] as const),
    ...(languages ? { languages } : {}),
    ...(chunking ? { chunking } : {}),
  };
}

const CHUNKING_STRATEGIES: readonly ChunkingOptions["strategy"][] = ["section", "page", "size"];

/** `--chunking section|page|size[:max_chars]`, e.g. `size:2000`; the server checks the range. */
export function chunkingFlag(value: string | undefined): ChunkingOptions | undefined {
  if (value === undefined) return undefined;
  const match = /^(\w+)(?::(\d+))?$/.exec(value.trim());
  const strategy = CHUNKING_STRATEGIES.find((s) => s === match?.[1]);
  if (!match || !strategy)
    throw new UsageError(`--chunking must be ${CHUNKING_STRATEGIES.join("|")}, optionally with :max_chars (e.g. size:2000), not ${JSON.stringify(value)}`);
  return match[2] === undefined ? { strategy } : { strategy, maxChars: Number(match[2]) };
}

/** Waits for the job with a progress display; null when Ctrl-C interrupted the wait. */
async function followJob(ctx: CliContext, jobId: string): Promise<Job | null> {
  const controller = new AbortController();
  const onSigint = (): void => controller.abort(new Interrupted("interrupted"));
  process.once("SIGINT", onSigint);
  const progress = createProgressReporter(ctx.stderr);
  try {
    return await ctx.quire.jobs.wait(jobId, {
      signal: controller.signal,
      onProgress: (_p, job) => progress.update(job),
      ...(ctx.pollIntervalMs ? { pollIntervalMs: ctx.pollIntervalMs } : {}),
    });
  } catch (err) {
    if (err instanceof Interrupted) return null;
    throw err;
  } finally {
    progress.stop();
    process.off("SIGINT", onSigint);
  }
}

/**
 * After Ctrl-C: on a terminal, ask whether to cancel the job on the server too (Enter = yes;
 * a second Ctrl-C leaves it running). Without a terminal there is nobody to ask, so the job is
 * canceled, since an interrupted script rarely wants its job to carry on unseen.
 */
async function interrupted(ctx: CliContext, jobId: string): Promise<number> {
  const cancel = ctx.stdin.isTTY && ctx.stderr.isTTY ? await confirmCancel(ctx, jobId) : true;
  if (!cancel) {
    ctx.stderr.write(`interrupted; job ${jobId} keeps running: quire jobs get ${jobId}\n`);
    return EXIT_INTERRUPTED;
  }
  try {
    await ctx.quire.jobs.cancel(jobId);
    ctx.stderr.write(`interrupted; canceled job ${jobId}\n`);
  } catch (err) {
    if (!isQuireApiError(err) || err.code !== "CONFLICT") throw err;
    ctx.stderr.write(`interrupted; job ${jobId} had already ended: quire jobs get ${jobId}\n`);
  }
  return EXIT_INTERRUPTED;
}

async function confirmCancel(ctx: CliContext, jobId: string): Promise<boolean> {
  const rl = createInterface({ input: ctx.stdin, output: ctx.stderr });
  const gaveUp = new Promise<string>((resolve) => rl.once("SIGINT", () => {
    ctx.stderr.write("\n");
    resolve("n");
  }));
  try {
    const answer = await Promise.race([rl.question(`cancel job ${jobId} on the server too? [Y/n] `), gaveUp]);
    return !/^\s*n/i.test(answer);
  } finally {
    rl.close();
  }
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
