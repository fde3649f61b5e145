import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Quire } from "./client.js";
import { QuireJobFailedError, QuireTimeoutError } from "./errors.js";
import { startMockApi, type MockApi } from "./testing/mock-api.js";
import { FILE_ID, JOB_ID, WEBHOOK_SECRET, extraction, job } from "./testing/fixtures.js";
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
    const result = await quire.extract.run(
      { file: bytes, filename: "a.pdf" },
      { pages: "1-3", metadata: { order: 7 }, languages: ["eng", "deu"] },
    );
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
    await expect(quire.extract.run({ fileUrl: "https://example.com/a.pdf" })).rejects.toMatchObject({
      code: "CANCELED",
      status: "canceled",
    });
  });

  it("submit() asks for a job (async: true) and returns its id", async () => {
    api.on("POST", "/v1/extract", accepted);
    await expect(quire.extract.submit({ fileUrl: "https://example.com/a.pdf" }, { ocr: "always" })).resolves.toBe(JOB_ID);
    expect(JSON.parse(api.requests[0]!.body)).toEqual({ file_url: "https://example.com/a.pdf", ocr: "always", async: true });
  });

  it("maps tables, chunking and the webhook options to the API's snake_case fields (JSON)", async () => {
    api.on("POST", "/v1/extract", accepted);
    await quire.extract.submit(
      { fileId: FILE_ID },
      {
        tables: "html",
        chunking: { strategy: "size", maxChars: 2000 },
        webhookUrl: "https://hooks.example.com/job",
        webhookSecret: WEBHOOK_SECRET,
        webhookEvents: ["job.completed", "job.progress"],
      },
    );
    expect(JSON.parse(api.requests[0]!.body)).toEqual({
      file_id: FILE_ID,
      tables: "html",
      chunking: { strategy: "size", max_chars: 2000 },
      webhook_url: "https://hooks.example.com/job",
      webhook_secret: WEBHOOK_SECRET,
      webhook_events: ["job.completed", "job.progress"],
      async: true,
    });
  });

  it("sends chunking without max_chars when maxChars is not given", async () => {
    api.on("POST", "/v1/extract", accepted);
    await quire.extract.submit({ fileUrl: "https://example.com/a.pdf" }, { chunking: { strategy: "section" } });
    expect(JSON.parse(api.requests[0]!.body)).toMatchObject({ chunking: { strategy: "section" } });
    expect(JSON.parse(api.requests[0]!.body).chunking).not.toHaveProperty("max_chars");
  });

  it("sends the new options as multipart fields when uploading bytes: JSON for chunking and webhook_events, text otherwise", async () => {
    api.on("POST", "/v1/extract", accepted);
    await quire.extract.submit(
      { file: new Blob(["%PDF"]) },
      {
        tables: "markdown",
        chunking: { strategy: "page", maxChars: 500 },
        webhookUrl: "https://hooks.example.com/job",
        webhookSecret: WEBHOOK_SECRET,
        webhookEvents: ["job.failed"],
      },
    );
    const body = api.requests[0]!.body;
    expect(body).toMatch(/name="tables"\r\n\r\nmarkdown\r\n/);
    expect(body).toMatch(/name="chunking"\r\n\r\n\{"strategy":"page","max_chars":500\}\r\n/);
    expect(body).toMatch(/name="webhook_url"\r\n\r\nhttps:\/\/hooks\.example\.com\/job\r\n/);
    expect(body).toContain(`name="webhook_secret"\r\n\r\n${WEBHOOK_SECRET}\r\n`);
    expect(body).toMatch(/name="webhook_events"\r\n\r\n\["job\.failed"\]\r\n/);
    expect(body).not.toMatch(/webhookUrl|maxChars|webhookEvents|webhookSecret/);
  });

  it("returns tables, continued blocks and chunk headings as the API sends them", async () => {
    const result = extraction({
      pages: [
        {
          page_number: 1,
          width: 612,
          height: 792,
          ocr: true,
          ocr_reason: "no text layer",
          blocks: [
            { id: "b1", type: "paragraph", text: "First half", bbox: [0.1, 0.8, 0.45, 0.9] },
            { id: "b2", type: "paragraph", text: "second half", bbox: [0.55, 0.1, 0.9, 0.2], continues: "b1" },
            { id: "b3", type: "table", text: "", bbox: [0.1, 0.3, 0.9, 0.5] },
          ],
        },
      ],
      tables: [
        {
          block_id: "b3",
          page_number: 1,
          bbox: [0.1, 0.3, 0.9, 0.5],
          rows: [[{ text: "A", bbox: [0.1, 0.3, 0.5, 0.4], row_span: 2, col_span: 1 }]],
        },
      ],
      chunks: [{ text: "First half second half", pages: [1], block_ids: ["b1", "b2"], headings: ["1 Intro"] }],
    });
    api.on("POST", "/v1/extract", { json: { job_id: JOB_ID, status: "completed", result } });
    const got = await quire.extract.run({ fileId: FILE_ID }, { tables: "html" });
    expect(got.tables[0]?.rows[0]?.[0]?.row_span).toBe(2);
    expect(got.pages[0]?.blocks[1]?.continues).toBe("b1");
    expect(got.pages[0]?.ocr_reason).toBe("no text layer");
    expect(got.chunks[0]?.headings).toEqual(["1 Intro"]);
  });

  it("submit() sends async=true as a multipart field when uploading bytes", async () => {
    api.on("POST", "/v1/extract", accepted);
    await quire.extract.submit({ file: new Blob(["%PDF"]) });
    expect(api.requests[0]!.body).toMatch(/name="async"\r\n\r\ntrue\r\n/);
    expect(api.requests[0]!.body).toMatch(/name="file"; filename="document"/);
  });

  it("createAndPoll() calls onProgress each time the progress changes, then returns the result", async () => {
    api.on("POST", "/v1/extract", accepted);
    api.on(
      "GET",
      jobPath,
      { json: job("processing", 25, "page 1/4") },
      { json: job("processing", 25, "page 1/4") },
      { json: job("processing", 75, "page 3/4") },
      { json: job("completed", 100) },
    );
    const seen: JobProgress[] = [];
    const result = await quire.extract.createAndPoll(
      { fileId: `file_${"c".repeat(64)}` },
      { pollIntervalMs: 5, onProgress: (p) => seen.push(p) },
    );
    expect(result.extraction_id).toBe("ext_1");
    expect(seen.map((p) => [p.pct, p.message])).toEqual([
      [25, "page 1/4"],
      [75, "page 3/4"],
      [100, ""],
    ]);
  });

  it("createAndPoll() stops polling when its signal aborts, leaving the job alone", async () => {
    api.on("POST", "/v1/extract", accepted);
    api.on("GET", jobPath, { json: job("processing", 10, "page 1/9") });
    const controller = new AbortController();
    const pending = quire.extract.createAndPoll(
      { fileUrl: "https://example.com/a.pdf" },
      {
        pollIntervalMs: 5,
        signal: controller.signal,
        onProgress: () => controller.abort(new Error("user stopped")),
      },
    );
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
