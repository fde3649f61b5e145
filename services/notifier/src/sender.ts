import { Agent, request } from "undici";
import { ErrorCode, checkTargetUrl, guardedLookup, isQuireError, type TargetPolicy } from "@quire/runtime";
import { parseRetryAfter, type Outcome } from "./retry-plan.js";

export interface SenderOptions extends TargetPolicy {
  /** The whole attempt (connect, headers, body) must fit in this. */
  timeoutMs: number;
}

export interface Sender {
  /** POSTs once. Never throws: every failure is an Outcome the delivery log can show. */
  send(url: string, headers: Record<string, string>, body: string): Promise<Outcome>;
  close(): Promise<void>;
}

/** Response bodies are not kept; reading at most this much lets the connection be reused. */
const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * Webhook POSTs through the same SSRF guard as file_url fetching: literal addresses are checked
 * before connecting, names after DNS resolution on every new connection (undici calls the
 * agent's `lookup` per socket), so a name that resolves to loopback or cloud metadata is refused
 * at connect time. Redirects are never followed: `request` does not, and a 3xx is a failure
 * (the spec: ask the user to update the URL instead).
 */
export function createSender(opts: SenderOptions): Sender {
  const agent = new Agent({
    connect: { lookup: guardedLookup(opts) as never, timeout: opts.timeoutMs },
    headersTimeout: opts.timeoutMs,
    bodyTimeout: opts.timeoutMs,
  });
  return {
    async send(url, headers, body) {
      const started = performance.now();
      const latency = () => Math.round(performance.now() - started);
      try {
        checkTargetUrl(url, opts);
        const res = await request(url, { method: "POST", headers, body, dispatcher: agent, signal: AbortSignal.timeout(opts.timeoutMs) });
        await res.body.dump({ limit: MAX_RESPONSE_BYTES }).catch(() => undefined);
        return outcomeOfStatus(res.statusCode, headerValue(res.headers["retry-after"]), latency());
      } catch (err) {
        return outcomeOfError(err, latency(), opts.timeoutMs);
      }
    },
    // Called after the dispatcher's grace period: whatever is still in flight is abandoned (its
    // claim's lease hands it to the next notifier), so do not wait for it.
    close: () => agent.destroy(),
  };
}

export function outcomeOfStatus(statusCode: number, retryAfter: string | undefined, latencyMs: number): Outcome {
  if (statusCode >= 200 && statusCode < 300) return { statusCode, latencyMs, error: "" };
  if (statusCode === 410) return { statusCode, latencyMs, error: "HTTP 410 Gone: the receiver asked to stop", final: "gone" };
  const error =
    statusCode >= 300 && statusCode < 400 ? `HTTP ${statusCode}: redirects are not followed; update the webhook URL` : `HTTP ${statusCode}`;
  const retryAfterMs = parseRetryAfter(retryAfter, Date.now());
  return { statusCode, latencyMs, error, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
}

/** Walks the cause chain: an SSRF refusal is final, a timeout or network error is retried. */
export function outcomeOfError(err: unknown, latencyMs: number, timeoutMs: number): Outcome {
  for (let cause: unknown = err; cause instanceof Error; cause = cause.cause) {
    if (isQuireError(cause) && cause.code === ErrorCode.TargetNotAllowed)
      return { statusCode: 0, latencyMs, error: `${cause.code}: ${cause.message}`, final: "refused" };
    if (isQuireError(cause) && cause.code === ErrorCode.InvalidArgument)
      return { statusCode: 0, latencyMs, error: `${cause.code}: ${cause.message}`, final: "refused" };
    if (cause.name === "TimeoutError" || cause.name === "AbortError" || /Timeout/.test(cause.name))
      return { statusCode: 0, latencyMs, error: `no response within ${timeoutMs} ms` };
  }
  const e = err as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  const code = e.cause?.code ?? e.code;
  const message = e.cause?.message ?? e.message ?? String(err);
  return { statusCode: 0, latencyMs, error: code ? `${code}: ${message}` : message };
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
