/**
 * Where a job's time went, per stage: how long its work message waited in the queue, how long
 * the stage ran, and the parts a stage measures itself (loading its input, OCR, storing its
 * output). Carried from stage to stage in the work message (`StageJob.timings_ms`, flat keys
 * `"<stage>.<part>_ms"`) and reported in every result's `usage.timings`.
 */
import type { JobTimings } from "@quire/contracts";

/** The flat map of the work message → the nested `usage.timings`. */
export function jobTimings(flat: Readonly<Record<string, number>>): JobTimings {
  const stages: Record<string, Record<string, number>> = {};
  let total = 0;
  for (const [key, ms] of Object.entries(flat)) {
    const dot = key.indexOf(".");
    if (dot <= 0) continue; // a key from before timings were per part
    const stage = key.slice(0, dot);
    const part = key.slice(dot + 1);
    const rounded = Math.round(ms * 10) / 10;
    (stages[stage] ??= {})[part] = rounded;
    if (part === "queue_ms" || part === "run_ms") total += ms;
  }
  return { total_ms: Math.round(total * 10) / 10, stages };
}

/** A stage's own clock: queue wait from the message's stream timestamp, run time, and named parts. */
export class StageClock {
  readonly #stage: string;
  readonly #queueMs: number;
  readonly #started = performance.now();
  readonly #parts = new Map<string, number>();

  constructor(stage: string, publishedAtMs: number, now = Date.now()) {
    this.#stage = stage;
    this.#queueMs = Math.max(0, now - publishedAtMs);
  }

  /** Adds `ms` to the part `name` (e.g. "ocr"), so a part measured page by page sums up. */
  add(name: string, ms: number): void {
    this.#parts.set(name, (this.#parts.get(name) ?? 0) + ms);
  }

  /** Runs `fn`, adding its duration to the part `name`, whether it succeeds or throws. */
  async time<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      this.add(name, performance.now() - t0);
    }
  }

  /** `before` (the earlier stages' flat timings) with this stage's, as they stand now. */
  flat(before: Readonly<Record<string, number>>): Record<string, number> {
    const s = this.#stage;
    const out: Record<string, number> = { ...before, [`${s}.queue_ms`]: this.#queueMs, [`${s}.run_ms`]: performance.now() - this.#started };
    for (const [name, ms] of this.#parts) out[`${s}.${name}_ms`] = ms;
    return out;
  }
}
