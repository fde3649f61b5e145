import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Quire } from "./client.js";
import { QuireJobFailedError, QuireTimeoutError } from "./errors.js";
import { startMockApi, type MockApi } from "./testing/mock-api.js";
import { JOB_ID, extraction, job } from "./testing/fixtures.js";
import type { JobProgress } from "./types.js";

const accepted = { status: 202, json: { job_id: JOB_ID, status: "pending" } };
const jobPath = `/v1/jobs/${JOB_ID}`;

describe("quire.extract", () => {
  let api: MockApi;
  let quire: Quire;
  beforeEach(async () => {
    api = await startMockApi();
    quire = new Quire("sk_test_0123456789", { baseUrl: api.url, retryDelayMs: 5 });
  });
  afterEach(() => api.close());

  it("run() uploads bytes as multipart with options as fields and returns the result of a 200", async () => {
    api.on("POST", "/v1/extract", { json: { job_id: JOB_ID, status: "completed", result: extraction() } });
    const bytes = new TextEncoder().encode("%PDF-1.7 fake");
    const result = await quire.extract.run({ file: bytes, filename: "a.pdf" }, { pages: "1-3", metadata: { order: 7 }, languages: ["eng", "deu"] });
    expect(result.markdown).toContain("# Invoice");
    const sent = api.requests[0]!;
    expect(sent.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    expect(sent.body).toMatch(/name="file"; filename="a.pdf"[\s\S]*%PDF-1.7 fake/);
    expect(sent.body).toMatch(/name="pages"\r\n\r\n1-3\r\n/);
    expect(sent.body).toMatch(/name="metadata"\r\n\r\n\{"order":7\}\r\n/);
    expect(sent.body).toMatch(/name="languages"\r\n\r\n\["eng","deu"\]\r\n/);
    expect(sent.body).not.toContain('name="async"');
  });

  it("run() polls a 202 answer until the job completes and returns its result", async () => {
    api.on("POST", "/v1/extract", accepted);
    api.on("GET", jobPath, { json: job("pending") }, { json: job("processing", 50, "page 1/2") }, { json: job("completed", 100) });
    const result = await quire.extract.run({ fileUrl: "https://example.com/a.pdf" }, { pollIntervalMs: 5 });
    expect(result).toEqual(extraction());
    expect(api.seen("GET", jobPath)).toHaveLength(3);
    expect(JSON.parse(api.requests[0]!.body)).toEqual({ file_url: "https://example.com/a.pdf" });
  });

  it("run() throws QuireJobFailedError when the polled job fails", async () => {
    api.on("POST", "/v1/extract", accepted);
    api.on("GET", jobPath, { json: job("failed", 10, "", { error: { code: "INVALID_PDF", message: "not a PDF" } }) });
    const err = await quire.extract.run({ fileUrl: "https://example.com/a.pdf" }, { pollIntervalMs: 5 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QuireJobFailedError);
    expect(err).toMatchObject({ jobId: JOB_ID, code: "INVALID_PDF", message: "not a PDF", status: "failed" });
  });

  it("run() reports a job canceled during a sync call as QuireJobFailedError with code CANCELED", async () => {
    api.on("POST", "/v1/extract", { json: { job_id: JOB_ID, status: "canceled" } });
    await expect(quire.extract.run({ fileUrl: "https://example.com/a.pdf" })).rejects.toMatchObject({ code: "CANCELED", status: "canceled" });
  });

  it("submit() asks for a job (async: true) and returns its id", async () => {
    api.on("POST", "/v1/extract", accepted);
    await expect(quire.extract.submit({ fileUrl: "https://example.com/a.pdf" }, { ocr: "always" })).resolves.toBe(JOB_ID);
    expect(JSON.parse(api.requests[0]!.body)).toEqual({ file_url: "https://example.com/a.pdf", ocr: "always", async: true });
  });

  it("submit() sends async=true as a multipart field when uploading bytes", async () => {
    api.on("POST", "/v1/extract", accepted);
    await quire.extract.submit({ file: new Blob(["%PDF"]) });
    expect(api.requests[0]!.body).toMatch(/name="async"\r\n\r\ntrue\r\n/);
    expect(api.requests[0]!.body).toMatch(/name="file"; filename="document"/);
  });

  it("createAndPoll() calls onProgress each time the progress changes, then returns the result", async () => {
    api.on("POST", "/v1/extract", accepted);
    api.on("GET", jobPath,
      { json: job("processing", 25, "page 1/4") }, { json: job("processing", 25, "page 1/4") },
      { json: job("processing", 75, "page 3/4") }, { json: job("completed", 100) });
    const seen: JobProgress[] = [];
    const result = await quire.extract.createAndPoll({ fileId: `file_${"c".repeat(64)}` }, { pollIntervalMs: 5, onProgress: (p) => seen.push(p) });
    expect(result.extraction_id).toBe("ext_1");
    expect(seen.map((p) => [p.pct, p.message])).toEqual([[25, "page 1/4"], [75, "page 3/4"], [100, ""]]);
  });

  it("createAndPoll() stops polling when its signal aborts, leaving the job alone", async () => {
    api.on("POST", "/v1/extract", accepted);
    api.on("GET", jobPath, { json: job("processing", 10, "page 1/9") });
    const controller = new AbortController();
    const pending = quire.extract.createAndPoll({ fileUrl: "https://example.com/a.pdf" }, {
      pollIntervalMs: 5, signal: controller.signal, onProgress: () => controller.abort(new Error("user stopped")),
    });
    await expect(pending).rejects.toThrow("user stopped");
    expect(api.seen("DELETE", jobPath)).toHaveLength(0);
  });

  it("jobs.wait() gives up with QuireTimeoutError after timeoutMs", async () => {
    api.on("GET", jobPath, { json: job("processing", 10) });
    const err = await quire.jobs.wait(JOB_ID, { pollIntervalMs: 5, timeoutMs: 40 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QuireTimeoutError);
    expect(err).toMatchObject({ jobId: JOB_ID, timeoutMs: 40 });
  });
});
