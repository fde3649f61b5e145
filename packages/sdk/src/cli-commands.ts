/**
 * `quire upload`, `quire jobs …` and `quire extractions get`: one request each, printed for
 * people or, with --json, for scripts.
 */
import type { JobKind, JobStatus, JobSummary } from "./types.js";
import { compact } from "./compact.js";
import { EXIT_OK, formatTable, intFlag, oneOf, readLocalFile, requireArg, stringFlag, type CliContext } from "./cli-support.js";

const STATUSES: readonly JobStatus[] = ["pending", "processing", "completed", "failed", "canceled"];
const KINDS: readonly JobKind[] = ["extract", "split", "schema"];

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** `quire upload <file>` → the stored file as JSON (its `file_id` works as `quire extract <file_id>`). */
export async function uploadCommand(ctx: CliContext): Promise<number> {
  const { file, filename } = await readLocalFile(requireArg(ctx, "file to upload"));
  const uploaded = await ctx.quire.files.upload(file, filename);
  ctx.stdout.write(json(uploaded));
  return EXIT_OK;
}

/** `quire jobs list [--status s] [--kind k] [--limit n] [--cursor c] [--json]` */
export async function jobsListCommand(ctx: CliContext): Promise<number> {
  const page = await ctx.quire.jobs.list(
    compact({
      status: oneOf(ctx.flags, "status", STATUSES),
      kind: oneOf(ctx.flags, "kind", KINDS),
      limit: intFlag(ctx.flags, "limit"),
      cursor: stringFlag(ctx.flags, "cursor"),
    }),
  );
  if (ctx.flags["json"]) {
    ctx.stdout.write(json(page));
    return EXIT_OK;
  }
  ctx.stdout.write(jobTable(page.jobs));
  if (page.next_cursor) ctx.stderr.write(`more: quire jobs list --cursor ${page.next_cursor}\n`);
  return EXIT_OK;
}

/** `quire jobs get <id>` → the job as JSON, result included once completed. */
export async function jobsGetCommand(ctx: CliContext): Promise<number> {
  const job = await ctx.quire.jobs.get(requireArg(ctx, "job id"));
  ctx.stdout.write(json(job));
  return EXIT_OK;
}

/** `quire jobs cancel <id>`; a job that already ended is a CONFLICT error (exit 1). */
export async function jobsCancelCommand(ctx: CliContext): Promise<number> {
  const canceled = await ctx.quire.jobs.cancel(requireArg(ctx, "job id"));
  ctx.stdout.write(`${canceled.job_id} canceled\n`);
  return EXIT_OK;
}

/** `quire extractions get <ext_id>` → the stored extraction as JSON. */
export async function extractionsGetCommand(ctx: CliContext): Promise<number> {
  const extraction = await ctx.quire.extractions.get(requireArg(ctx, "extraction id"));
  ctx.stdout.write(json(extraction));
  return EXIT_OK;
}

const COLUMNS = ["JOB ID", "KIND", "STATUS", "PROGRESS", "CREATED", "MESSAGE"] as const;

function jobRow(job: JobSummary): string[] {
  const message = job.error ? `${job.error.code}: ${job.error.message}` : job.progress.message;
  return [job.job_id, job.kind, job.status, `${Math.round(job.progress.pct)}%`, job.created_at, message];
}

/** `quire jobs list` for people: one row per job. */
export function jobTable(jobs: readonly JobSummary[]): string {
  if (jobs.length === 0) return "no jobs\n";
  return formatTable(COLUMNS, jobs.map(jobRow));
}
