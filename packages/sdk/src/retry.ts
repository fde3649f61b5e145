/**
 * Retry planning, kept pure so it can be tested without a server. The HTTP client asks two
 * questions after a failed attempt: may this be retried, and how long to wait first.
 */
import { failedJobIdOf, type QuireApiError } from "./errors.js";

/** Statuses that say "try again later": rate limited, or a proxy/dependency is briefly down. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/** First backoff step; doubles per retry. @default 500 */
export const DEFAULT_RETRY_DELAY_MS = 500;

/** Cap on one computed backoff step. */
export const MAX_RETRY_DELAY_MS = 8_000;

/**
 * A `retry-after` longer than this is not waited out: the error is thrown instead, because
 * sleeping for minutes inside a library call surprises more than it helps.
 */
export const MAX_RETRY_AFTER_MS = 60_000;

/**
 * Whether an error response may be retried. Besides the status, one case is excluded: an error
 * that reports how a job ended (the gateway puts its `job_id` in `details`, e.g. a sync extract
 * that hit `JOB_TIMEOUT` → 504). Retrying that would run the whole job again. `RATE_LIMITED`
 * also carries a `job_id`, but that job never started, so it is retried.
 */
export function isRetryableResponse(err: QuireApiError): boolean {
  if (!RETRYABLE_STATUSES.has(err.status)) return false;
  return failedJobIdOf(err) === undefined;
}

/**
 * The server's requested delay from `retry-after-ms` (milliseconds) or `retry-after` (seconds,
 * or an HTTP date). Undefined when absent or unreadable.
 */
export function retryAfterMs(headers: Headers, now: number = Date.now()): number | undefined {
  const ms = Number.parseFloat(headers.get("retry-after-ms") ?? "");
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers.get("retry-after")?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number.parseFloat(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Exponential backoff with jitter for retry number `retry` (1-based): `baseMs · 2^(retry-1)`,
 * capped, then scaled by a random factor in [0.75, 1] so clients that failed together do not
 * retry together.
 */
export function backoffMs(retry: number, baseMs: number = DEFAULT_RETRY_DELAY_MS, random: () => number = Math.random): number {
  const step = Math.min(MAX_RETRY_DELAY_MS, baseMs * 2 ** Math.max(0, retry - 1));
  return Math.round(step * (0.75 + 0.25 * random()));
}

/**
 * How long to wait before retry number `retry`: the server's `retry-after` when it sent one,
 * otherwise backoff. Undefined means "do not retry" (the server asked for too long a wait).
 */
export function retryDelayMs(retry: number, headers: Headers | undefined, baseMs: number): number | undefined {
  const asked = headers ? retryAfterMs(headers) : undefined;
  if (asked === undefined) return backoffMs(retry, baseMs);
  return asked <= MAX_RETRY_AFTER_MS ? asked : undefined;
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
