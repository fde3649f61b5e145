/**
 * Job progress for the CLI, on stderr: a redrawn bar on a terminal, one plain line per change
 * otherwise (CI logs, pipes), so logs stay readable and terminals stay tidy.
 */
import type { Job } from "./types.js";

export interface ProgressReporter {
  /** Shows the job's current status and progress. */
  update(job: Job): void;
  /** Ends the display (moves off the bar's line); safe to call more than once. */
  stop(): void;
}

/** What the reporter needs from a stream; `process.stderr` fits. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

const BAR_WIDTH = 24;

export function createProgressReporter(stream: ProgressStream): ProgressReporter {
  return stream.isTTY ? ttyReporter(stream) : lineReporter(stream);
}

/** `"parse · page 3/12"`: the stage and the job's own message, whichever are present. */
export function describeProgress(job: Job): string {
  const { stage, message } = job.progress;
  const parts = [stage, message].filter((s) => s !== "");
  return parts.length > 0 ? parts.join(" · ") : job.status;
}

function percent(job: Job): string {
  const pct = Math.max(0, Math.min(100, Math.round(job.progress.pct)));
  return `${String(pct).padStart(3)}%`;
}

function bar(pct: number): string {
  const filled = Math.round((Math.max(0, Math.min(100, pct)) / 100) * BAR_WIDTH);
  return `[${"█".repeat(filled)}${"░".repeat(BAR_WIDTH - filled)}]`;
}

function ttyReporter(stream: ProgressStream): ProgressReporter {
  let drawn = false;
  return {
    update(job) {
      const line = `${bar(job.progress.pct)} ${percent(job)} ${describeProgress(job)}`;
      const width = stream.columns || 80; // 0 when the terminal does not report a size
      // \r + "erase line" redraws in place; the line is cut to the terminal width so it never wraps.
      stream.write(`\r\x1b[2K${line.slice(0, Math.max(10, width - 1))}`);
      drawn = true;
    },
    stop() {
      if (drawn) stream.write("\n");
      drawn = false;
    },
  };
}

function lineReporter(stream: ProgressStream): ProgressReporter {
  return {
    update(job) {
      stream.write(`${job.job_id} ${job.status} ${percent(job).trim()} ${describeProgress(job)}\n`);
    },
    stop() {},
  };
}
