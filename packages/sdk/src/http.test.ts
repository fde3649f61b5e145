import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Quire } from "./client.js";
import { QuireApiError, QuireConnectionError, QuireJobFailedError } from "./errors.js";
import { apiError, startMockApi, type MockApi } from "./testing/mock-api.js";
import { FILE_ID, JOB_ID, extraction, job } from "./testing/fixtures.js";

describe("Quire HTTP client", () => {
  let api: MockApi;
  let quire: Quire;
  beforeEach(async () => {
    api = await startMockApi();
    quire = new Quire("sk_test_0123456789", { baseUrl: api.url, retryDelayMs: 5 });
  });
  afterEach(() => api.close());

  it("sends the API key as x-api-key with every request", async () => {
    api.on("GET", `/v1/jobs/${JOB_ID}`, { json: job("pending") });
    await quire.jobs.get(JOB_ID);
    expect(api.requests[0]?.headers["x-api-key"]).toBe("sk_test_0123456789");
    expect(api.requests[0]?.headers["user-agent"]).toMatch(/^quire-sdk-js\//);
  });

  it("gives a POST an Idempotency-Key and sends the same key again on a retry after 503", async () => {
    api.on("POST", "/v1/extract", apiError(503, "UNAVAILABLE", "busy"), { status: 202, json: { job_id: JOB_ID, status: "pending" } });
    await quire.extract.submit({ fileId: FILE_ID });
    const [first, retry] = api.seen("POST", "/v1/extract");
    expect(first?.headers["idempotency-key"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(retry?.headers["idempotency-key"]).toBe(first?.headers["idempotency-key"]);
  });

  it("counts retries in quire-retry-count, absent on the first attempt", async () => {
    api.on("GET", "/v1/jobs", apiError(502, "UNKNOWN", "bad gateway"), apiError(429, "RATE_LIMITED", "slow down"), {
      json: { jobs: [], next_cursor: null },
    });
    await quire.jobs.list();
    expect(api.requests.map((r) => r.headers["quire-retry-count"])).toEqual([undefined, "1", "2"]);
  });

  it("uses a caller's idempotency key as given", async () => {
    api.on("POST", "/v1/extract", { status: 202, json: { job_id: JOB_ID, status: "pending" } });
    await quire.extract.submit({ fileId: FILE_ID }, { idempotencyKey: "order-42" });
    expect(api.requests[0]?.headers["idempotency-key"]).toBe("order-42");
  });

  it("sends no Idempotency-Key on GET and DELETE", async () => {
    api.on("DELETE", `/v1/jobs/${JOB_ID}`, { json: { job_id: JOB_ID, status: "canceled" } });
    await quire.jobs.cancel(JOB_ID);
    expect(api.requests[0]?.headers["idempotency-key"]).toBeUndefined();
  });

  it("waits as long as retry-after says (in seconds) before retrying", async () => {
    api.on(
      "GET",
      "/v1/jobs",
      { ...apiError(429, "RATE_LIMITED", "slow down"), headers: { "retry-after": "1" } },
      { json: { jobs: [], next_cursor: null } },
    );
    await quire.jobs.list();
    const [first, retry] = api.requests;
    expect(retry!.at - first!.at).toBeGreaterThanOrEqual(950);
  });

  it("honours retry-after-ms, which allows delays shorter than a second", async () => {
    api.on(
      "GET",
      "/v1/jobs",
      { ...apiError(503, "UNAVAILABLE", "busy"), headers: { "retry-after-ms": "300" } },
      { json: { jobs: [], next_cursor: null } },
    );
    await quire.jobs.list();
    const [first, retry] = api.requests;
    expect(retry!.at - first!.at).toBeGreaterThanOrEqual(280);
  });

  it("throws the last error once maxRetries is used up", async () => {
    api.on("GET", "/v1/jobs", apiError(503, "UNAVAILABLE", "still busy"));
    await expect(quire.jobs.list()).rejects.toMatchObject({ status: 503, code: "UNAVAILABLE" });
    expect(api.requests).toHaveLength(3);
  });

  it("parses the error envelope into QuireApiError, without retrying a 4xx", async () => {
    const problems = [{ field: "pages", message: 'pages must look like "1-3,7"' }];
    api.on("POST", "/v1/extract", {
      ...apiError(400, "INVALID_ARGUMENT", "pages: bad", { problems }),
      headers: { "x-request-id": "req_1" },
    });
    const err = await quire.extract.submit({ fileId: FILE_ID }, { pages: "x" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QuireApiError);
    expect(err).toMatchObject({ status: 400, code: "INVALID_ARGUMENT", message: "pages: bad", details: { problems }, requestId: "req_1" });
    expect(api.requests).toHaveLength(1);
  });

  it("reports a body that is not the envelope with code UNKNOWN and the status line", async () => {
    api.on("GET", "/v1/jobs", { status: 500, text: "<html>oops</html>" });
    await expect(quire.jobs.list()).rejects.toMatchObject({ status: 500, code: "UNKNOWN", message: expect.stringContaining("HTTP 500") });
  });

  it("retries a dropped connection, then succeeds", async () => {
    api.on("GET", "/v1/jobs", { destroy: true }, { json: { jobs: [], next_cursor: null } });
    await expect(quire.jobs.list()).resolves.toEqual({ jobs: [], next_cursor: null });
    expect(api.requests).toHaveLength(2);
  });

  it("throws QuireConnectionError when an attempt outlives timeoutMs, after retrying it", async () => {
    const slow = new Quire("k", { baseUrl: api.url, timeoutMs: 50, maxRetries: 1, retryDelayMs: 1 });
    api.on("GET", "/v1/jobs", { delayMs: 300, json: { jobs: [], next_cursor: null } });
    const err = await slow.jobs.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QuireConnectionError);
    expect(err).toMatchObject({ timedOut: true });
    expect(api.requests).toHaveLength(2);
  });

  it("does not retry a sync extract whose job timed out (504 JOB_TIMEOUT): that would run the job again", async () => {
    api.on("POST", "/v1/extract", apiError(504, "JOB_TIMEOUT", "the job ran out of time", { job_id: JOB_ID }));
    const err = await quire.extract.run({ fileId: FILE_ID }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QuireJobFailedError);
    expect(err).toMatchObject({ jobId: JOB_ID, code: "JOB_TIMEOUT" });
    expect(api.requests).toHaveLength(1);
  });

  it("stops at once when the caller's signal aborts", async () => {
    api.on("GET", "/v1/jobs", { delayMs: 2_000, json: { jobs: [], next_cursor: null } });
    const controller = new AbortController();
    const pending = quire.jobs.list({}, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error("stop")), 20);
    await expect(pending).rejects.toThrow("stop");
    expect(api.requests.length).toBeLessThanOrEqual(1);
  });

  it("keeps extraction results typed as the API sends them", async () => {
    api.on("POST", "/v1/extract", { json: { job_id: JOB_ID, status: "completed", result: extraction() } });
    const result = await quire.extract.run({ fileId: FILE_ID });
    expect(result.pages[0]?.blocks[0]?.bbox).toEqual([0.1, 0.1, 0.5, 0.15]);
  });
});
