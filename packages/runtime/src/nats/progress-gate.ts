/** How often a job's stage may publish progress: a 1,000-page parse says where it is ~4 times a second, not 1,000 times. */
export const PROGRESS_INTERVAL_MS = 250;

/**
 * Decides which of a stage's progress reports go out: the first, the last (fraction 1), and
 * otherwise at most one per `intervalMs`. Each report carries the whole state (a fraction, not
 * a step), so a skipped one loses nothing that the next does not say.
 */
export function progressGate(intervalMs: number, now: () => number = Date.now): (fraction: number) => boolean {
  let last = -Infinity;
  return (fraction) => {
    const t = now();
    if (fraction < 1 && t - last < intervalMs) return false;
    last = t;
    return true;
  };
}
