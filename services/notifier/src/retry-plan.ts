import type { WebhookEndpoint } from "@quire/contracts";

/** What one attempt came to. */
export interface Outcome {
  /** HTTP status, or 0 when no response arrived. */
  statusCode: number;
  latencyMs: number;
  /** Empty on success. */
  error: string;
  /**
   * Why retrying cannot help: the receiver answered 410, the target is refused by the SSRF
   * guard, or the endpoint is gone or disabled. Unset for ordinary failures.
   */
  final?: "gone" | "refused" | "endpoint";
  /** The attempt's outcome is unknown: its sender died before recording it. Never sent again. */
  interrupted?: boolean;
  /** From a Retry-After header (429/503), in ms. */
  retryAfterMs?: number;
}

export const succeeded = (o: Outcome): boolean => o.statusCode >= 200 && o.statusCode < 300 && !o.error;

export type Decision = { kind: "succeeded" } | { kind: "failed"; reason: string } | { kind: "retry"; atMs: number };

export interface PlanInput {
  outcome: Outcome;
  /** The attempt just made, 1-based. */
  attempt: number;
  /** A replay asked for by the user: one attempt, then no automatic retries. */
  manual: boolean;
  scheduleMs: readonly number[];
  nowMs: number;
  /** 0..1, for jitter; Math.random in production, fixed in tests. */
  random?: () => number;
}

/** Retry-After may ask for more time than the schedule gives, but not for more than this. */
const MAX_RETRY_AFTER_MS = 3_600_000;

/**
 * After attempt n: done, given up, or attempt n+1 at `scheduleMs[n]` later plus up to 10 %
 * jitter (so receivers that failed together are not retried in lockstep), or later still if
 * the receiver sent Retry-After.
 */
export function decide(p: PlanInput): Decision {
  const { outcome } = p;
  if (succeeded(outcome)) return { kind: "succeeded" };
  if (outcome.final) return { kind: "failed", reason: outcome.error };
  if (p.manual) return { kind: "failed", reason: "the replay failed; replays are not retried automatically" };
  const delay = p.scheduleMs[p.attempt];
  if (delay === undefined) return { kind: "failed", reason: `gave up after ${p.attempt} attempts` };
  const jitter = Math.floor(delay * 0.1 * (p.random ?? Math.random)());
  const wait = Math.max(delay + jitter, Math.min(outcome.retryAfterMs ?? 0, MAX_RETRY_AFTER_MS));
  return { kind: "retry", atMs: p.nowMs + wait };
}

/**
 * The endpoint after an attempt, or null when nothing changes. A success clears the failing
 * clock; the first failure starts it; a failure once it has run `disableAfterMs` disables the
 * endpoint (Svix: 5 days); 410 Gone disables it at once. Interrupted attempts say nothing about
 * the receiver and are ignored.
 */
export function nextEndpointHealth(ep: WebhookEndpoint, o: Outcome, nowMs: number, disableAfterMs: number): WebhookEndpoint | null {
  if (o.interrupted || ep.disabled || o.final === "endpoint") return null;
  if (succeeded(o)) return ep.failingSinceUnixMs ? { ...ep, failingSinceUnixMs: 0 } : null;
  if (o.final === "gone") return disable(ep, nowMs, "the endpoint answered 410 Gone");
  if (!ep.failingSinceUnixMs) return { ...ep, failingSinceUnixMs: nowMs };
  if (nowMs - ep.failingSinceUnixMs < disableAfterMs) return null;
  const since = new Date(ep.failingSinceUnixMs).toISOString();
  return disable(ep, nowMs, `every attempt has failed since ${since} (longer than ${disableAfterMs} ms)`);
}

function disable(ep: WebhookEndpoint, nowMs: number, reason: string): WebhookEndpoint {
  return { ...ep, disabled: true, disabledReason: reason, disabledUnixMs: nowMs };
}

/** Retry-After as seconds or an HTTP date → ms from now; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
