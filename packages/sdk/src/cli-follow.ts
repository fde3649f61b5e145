/**
 * What `quire extract` and `quire split` share: they always submit a job (never the sync call),
 * so the job id is known from the start: progress can be shown on stderr, and Ctrl-C can offer
 * to cancel the job on the server.
 */
import { createInterface } from "node:readline/promises";
import { isQuireApiError } from "./errors.js";
import { createProgressReporter } from "./progress.js";
import type { Job } from "./types.js";
import { EXIT_INTERRUPTED, EXIT_OK, type CliContext } from "./cli-support.js";

class Interrupted extends Error {
  override name = "Interrupted";
}

/**
 * Submits the job; with `--async`, prints its id and stops there. Otherwise follows it with a
 * progress display until it ends. Returns the ended job, or the exit code when there is no job
 * to report on (`--async`, or Ctrl-C).
 */
export async function submitAndFollow(ctx: CliContext, submit: () => Promise<string>): Promise<Job | number> {
  const jobId = await submit();
  if (ctx.flags["async"]) {
    ctx.stdout.write(`${jobId}\n`);
    ctx.stderr.write(`submitted; follow it with: quire jobs get ${jobId}\n`);
    return EXIT_OK;
  }
  const job = await followJob(ctx, jobId);
  return job ?? interrupted(ctx, jobId);
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
  const gaveUp = new Promise<string>((resolve) =>
    rl.once("SIGINT", () => {
      ctx.stderr.write("\n");
      resolve("n");
    }),
  );
  try {
    const answer = await Promise.race([rl.question(`cancel job ${jobId} on the server too? [Y/n] `), gaveUp]);
    return !/^\s*n/i.test(answer);
  } finally {
    rl.close();
  }
}
