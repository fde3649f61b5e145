import { describe, expect, it } from "vitest";
import { QuireApiError } from "./errors.js";
import { MAX_RETRY_DELAY_MS, backoffMs, isRetryableResponse, retryAfterMs, retryDelayMs } from "./retry.js";

const headers = (h: Record<string, string>) => new Headers(h);
const err = (status: number, code: string, details: Record<string, unknown> = {}) => new QuireApiError(status, code, "m", details);

describe("retry planning", () => {
  it("reads retry-after as seconds, as an HTTP date, and retry-after-ms as milliseconds", () => {
    const now = Date.parse("2025-01-01T00:00:00Z");
    expect(retryAfterMs(headers({ "retry-after": "2" }), now)).toBe(2000);
    expect(retryAfterMs(headers({ "retry-after": "Wed, 01 Jan 2025 00:00:03 GMT" }), now)).toBe(3000);
    expect(retryAfterMs(headers({ "retry-after-ms": "150", "retry-after": "9" }), now)).toBe(150);
    expect(retryAfterMs(headers({ "retry-after": "soon" }), now)).toBeUndefined();
    expect(retryAfterMs(headers({}), now)).toBeUndefined();
  });

  it("doubles the backoff per retry, with jitter that only shortens it by up to a quarter", () => {
    expect(backoffMs(1, 100, () => 1)).toBe(100);
    expect(backoffMs(3, 100, () => 1)).toBe(400);
    expect(backoffMs(3, 100, () => 0)).toBe(300);
    expect(backoffMs(30, 100, () => 1)).toBe(MAX_RETRY_DELAY_MS);
  });

  it("prefers the server's retry-after, and refuses to wait more than a minute", () => {
    expect(retryDelayMs(1, headers({ "retry-after": "0" }), 500)).toBe(0);
    expect(retryDelayMs(1, headers({ "retry-after": "600" }), 500)).toBeUndefined();
    expect(retryDelayMs(1, undefined, 100)).toBeGreaterThanOrEqual(75);
  });

  it("retries 429 and 502-504 but not other statuses", () => {
    expect([429, 502, 503, 504].map((s) => isRetryableResponse(err(s, "X")))).toEqual([true, true, true, true]);
    expect([400, 401, 404, 409, 413, 422, 500].some((s) => isRetryableResponse(err(s, "X")))).toBe(false);
  });

  it("does not retry an error that reports a job's outcome, except RATE_LIMITED", () => {
    expect(isRetryableResponse(err(504, "JOB_TIMEOUT", { job_id: "job_1" }))).toBe(false);
    expect(isRetryableResponse(err(503, "UNAVAILABLE", { job_id: "job_1" }))).toBe(false);
    expect(isRetryableResponse(err(429, "RATE_LIMITED", { job_id: "job_1" }))).toBe(true);
  });
});
