/** Polling a job until it ends, reporting progress as it changes. */
import { QuireTimeoutError } from "./errors.js";
import { sleep } from "./retry.js";
import type { Job, JobProgress, JobStatus } from "./types.js";

/** @default 1_000 */
export const DEFAULT_POLL_INTERVAL_MS = 1_000;

export interface WaitOptions {
  /**
   * Called with the job's progress on the first poll and whenever its status, percentage,
   * stage or message changes (including the final state).
   */
  onProgress?: (progress: JobProgress, job: Job) => void;
  /** Time between polls, in ms. @default 1_000 */
  pollIntervalMs?: number;
  /** Stops waiting (the job keeps running); the wait rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Gives up after this many ms with `QuireTimeoutError`; the job keeps running. No limit by default. */
  timeoutMs?: number;
}

const TERMINAL: ReadonlySet<JobStatus> = new Set<JobStatus>(["completed", "failed", "canceled"]);

/** True for `completed`, `failed` and `canceled`: the job will not change again. */
export function isTerminalStatus(status: JobStatus): boolean {
  return TERMINAL.has(status);
}

type GetJob = (jobId: string, signal: AbortSignal | undefined) => Promise<Job>;

/**
 * Polls `getJob` until the job is terminal and returns it, whatever the outcome; callers that
 * want a result check `status` (see `resultOf`).
 *
 * @throws QuireTimeoutError when `timeoutMs` passes first; the signal's reason when aborted.
 */
export async function waitForJob(getJob: GetJob, jobId: string, options: WaitOptions = {}): Promise<Job> {
  const { signal, timeoutMs, pollIntervalMs = DEFAULT_POLL_INTERVAL_MS } = options;
  const deadline = timeoutMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + timeoutMs;
  let reported = "";
  for (;;) {
    const job = await getJob(jobId, signal);
    reported = reportProgress(job, reported, options.onProgress);
    if (isTerminalStatus(job.status)) return job;
    const left = deadline - Date.now();
    if (left <= 0) throw new QuireTimeoutError(jobId, timeoutMs ?? 0);
    await sleep(Math.min(pollIntervalMs, left), signal);
  }
}

function reportProgress(job: Job, previous: string, onProgress: WaitOptions["onProgress"]): string {
  const { pct, stage, message } = job.progress;
  const key = JSON.stringify([job.status, pct, stage, message]);
  if (key !== previous) onProgress?.(job.progress, job);
  return key;
}
