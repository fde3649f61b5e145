import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Quire } from "./client.js";
import { QuireApiError, QuireJobFailedError } from "./errors.js";
import { apiError, formFields, startMockApi, type MockApi } from "./testing/mock-api.js";
import { EXTRACTION_ID, FILE_ID, JOB_ID, WEBHOOK_SECRET, extraction, job, splitJob, splitResult } from "./testing/fixtures.js";
import type { JobProgress, SplitConfig } from "./types.js";

const accepted = { status: 202, json: { job_id: JOB_ID, status: "pending" } };
const jobPath = `/v1/jobs/${JOB_ID}`;
const splitConfig: SplitConfig = {
  split_input: [
    { name: "invoice", description: "Invoices: a bill with line items and a total", partition_key: "invoice number" },
    { name: "contract", description: "A service agreement with signatures" },
  ],
};

describe("quire.split", () => {
  let api: MockApi;
  let quire: Quire;
  beforeEach(async () => {
    api = await startMockApi();
    quire = new Quire("sk_test_0123456789", { baseUrl: api.url, retryDelayMs: 5 });
  });
  afterEach(() => api.close());

  it("run() splits an earlier extraction by extraction_id (JSON) and returns the result of a 200", async () => {
    api.on("POST", "/v1/split", { json: { job_id: JOB_ID, status: "completed", result: splitResult() } });
    const result = await quire.split.run({ extractionId: EXTRACTION_ID }, { splitConfig, engine: "llm" });
    expect(result).toEqual(splitResult());
    expect(result.splits[0]?.partitions?.map((p) => p.key)).toEqual(["INV-1042", "INV-1043"]);
    const sent = api.requests[0]!;
    expect(sent.path).toBe("/v1/split");
    expect(sent.headers["idempotency-key"]).toBeTruthy();
    expect(JSON.parse(sent.body)).toEqual({ extraction_id: EXTRACTION_ID, split_config: splitConfig, engine: "llm" });
  });

  it("run() uploads bytes as multipart: split_config and languages JSON-encoded, scalars as text, no async", async () => {
    api.on("POST", "/v1/split", { json: { job_id: JOB_ID, status: "completed", result: splitResult() } });
    const bytes = new TextEncoder().encode("%PDF-1.7 bundle");
    await quire.split.run(
      { file: bytes, filename: "bundle.pdf" },
      {
        splitConfig: { ...splitConfig, split_rules: "cover letters belong to the next document" },
        pages: "1-8",
        ocr: "never",
        languages: ["eng", "deu"],
        password: "pw",
        metadata: { batch: 3 },
      },
    );
    const sent = api.requests[0]!;
    expect(sent.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    expect(sent.body).toMatch(/name="file"; filename="bundle.pdf"[\s\S]*%PDF-1.7 bundle/);
    const fields = await formFields(sent);
    expect(JSON.parse(fields["split_config"]!)).toEqual({ ...splitConfig, split_rules: "cover letters belong to the next document" });
    expect(fields).toMatchObject({ pages: "1-8", ocr: "never", password: "pw", languages: '["eng","deu"]', metadata: '{"batch":3}' });
    expect(fields).not.toHaveProperty("async");
    expect(fields).not.toHaveProperty("engine");
  });

  it("run() polls a 202 answer until the split job completes and returns its SplitResult", async () => {
    api.on("POST", "/v1/split", accepted);
    api.on("GET", jobPath, { json: splitJob("processing", 40, "page 2/8") }, { json: splitJob("completed", 100) });
    const result = await quire.split.run({ fileUrl: "https://example.com/bundle.pdf" }, { splitConfig, pollIntervalMs: 5 });
    expect(result.unassigned_pages).toEqual([8]);
    expect(api.seen("GET", jobPath)).toHaveLength(2);
    expect(JSON.parse(api.requests[0]!.body)).toEqual({ file_url: "https://example.com/bundle.pdf", split_config: splitConfig });
  });

  it("submit() asks for a job (async: true) with the webhook options, and returns its id", async () => {
    api.on("POST", "/v1/split", accepted);
    await expect(
      quire.split.submit(
        { fileId: FILE_ID },
        {
          splitConfig,
          engine: "deterministic",
          webhookUrl: "https://hooks.example.com/job",
          webhookSecret: WEBHOOK_SECRET,
          webhookEvents: ["job.completed"],
          idempotencyKey: "split-batch-3",
        },
      ),
    ).resolves.toBe(JOB_ID);
    expect(api.requests[0]!.headers["idempotency-key"]).toBe("split-batch-3");
    expect(JSON.parse(api.requests[0]!.body)).toEqual({
      file_id: FILE_ID,
      split_config: splitConfig,
      engine: "deterministic",
      webhook_url: "https://hooks.example.com/job",
      webhook_secret: WEBHOOK_SECRET,
      webhook_events: ["job.completed"],
      async: true,
    });
  });

  it("createAndPoll() submits as a job, calls onProgress as the progress changes, then returns the result", async () => {
    api.on("POST", "/v1/split", accepted);
    api.on(
      "GET",
      jobPath,
      { json: splitJob("processing", 30, "parse") },
      { json: splitJob("processing", 30, "parse") },
      { json: splitJob("processing", 80, "scoring pages") },
      { json: splitJob("completed", 100) },
    );
    const seen: JobProgress[] = [];
    const result = await quire.split.createAndPoll(
      { extractionId: EXTRACTION_ID },
      { splitConfig, pollIntervalMs: 5, onProgress: (p) => seen.push(p) },
    );
    expect(result.split_id).toBe("spl_1");
    expect(seen.map((p) => p.pct)).toEqual([30, 80, 100]);
    expect(JSON.parse(api.requests[0]!.body)).toMatchObject({ extraction_id: EXTRACTION_ID, async: true });
  });

  it("a failed or canceled split job is a QuireJobFailedError, as for extract", async () => {
    api.on("POST", "/v1/split", accepted);
    api.on("GET", jobPath, { json: splitJob("failed", 60, "", { error: { code: "LLM_UNAVAILABLE", message: "model endpoint refused" } }) });
    const err = await quire.split
      .run({ extractionId: EXTRACTION_ID }, { splitConfig, engine: "llm", pollIntervalMs: 5 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QuireJobFailedError);
    expect(err).toMatchObject({ jobId: JOB_ID, code: "LLM_UNAVAILABLE", status: "failed" });

    api.on("POST", "/v1/split", { json: { job_id: JOB_ID, status: "canceled" } });
    await expect(quire.split.run({ extractionId: EXTRACTION_ID }, { splitConfig })).rejects.toMatchObject({
      code: "CANCELED",
      status: "canceled",
    });
  });

  it("a sync call answered with the job's failure (details.job_id) is a QuireJobFailedError", async () => {
    api.on("POST", "/v1/split", apiError(422, "INVALID_PDF", "not a PDF", { job_id: JOB_ID }));
    const err = await quire.split.run({ file: new Blob(["nope"]) }, { splitConfig }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QuireJobFailedError);
    expect(err).toMatchObject({ jobId: JOB_ID, code: "INVALID_PDF", status: "failed" });
  });

  it("an unknown extraction_id is the API's NOT_FOUND", async () => {
    api.on("POST", "/v1/split", apiError(404, "NOT_FOUND", `extraction ${EXTRACTION_ID} not found`));
    const err = await quire.split.run({ extractionId: EXTRACTION_ID }, { splitConfig }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QuireApiError);
    expect(err).toMatchObject({ status: 404, code: "NOT_FOUND" });
  });

  it("a completed job of another kind is not passed off as a split result", async () => {
    api.on("POST", "/v1/split", accepted);
    api.on("GET", jobPath, { json: job("completed", 100) });
    await expect(quire.split.run({ extractionId: EXTRACTION_ID }, { splitConfig, pollIntervalMs: 5 })).rejects.toThrow(
      `job ${JOB_ID} has kind extract, not split`,
    );
  });

  it("refuses a call without splitConfig, or an extract of an extractionId, before sending anything", async () => {
    const noConfig = quire.split.run({ extractionId: EXTRACTION_ID }, {} as never);
    await expect(noConfig).rejects.toThrow(/options\.splitConfig/);
    const extractOfExtraction = quire.extract.run({ extractionId: EXTRACTION_ID } as never);
    await expect(extractOfExtraction).rejects.toThrow("input must be one of { file }, { fileUrl } or { fileId }");
    await expect(quire.split.run({ nothing: 1 } as never, { splitConfig })).rejects.toThrow(/\{ extractionId \}/);
    expect(api.requests).toHaveLength(0);
  });
});

describe("quire.extractions and extract's persist", () => {
  let api: MockApi;
  let quire: Quire;
  beforeEach(async () => {
    api = await startMockApi();
    quire = new Quire("sk_test_0123456789", { baseUrl: api.url, retryDelayMs: 5 });
  });
  afterEach(() => api.close());

  it("extractions.get() returns the stored extraction", async () => {
    const stored = extraction({ extraction_id: EXTRACTION_ID });
    api.on("GET", `/v1/extractions/${EXTRACTION_ID}`, { json: stored });
    await expect(quire.extractions.get(EXTRACTION_ID)).resolves.toEqual(stored);
    expect(api.requests[0]!.method).toBe("GET");
  });

  it("extractions.get() of an unknown (or another tenant's) id throws NOT_FOUND, and escapes the id", async () => {
    const err = await quire.extractions.get("../jobs").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QuireApiError);
    expect(err).toMatchObject({ status: 404, code: "NOT_FOUND" });
    expect(api.requests[0]!.path).toBe("/v1/extractions/..%2Fjobs");
  });

  it("extract sends persist: true as JSON, and as a text field when uploading bytes", async () => {
    api.on("POST", "/v1/extract", accepted);
    await quire.extract.submit({ fileId: FILE_ID }, { persist: true });
    expect(JSON.parse(api.requests[0]!.body)).toEqual({ file_id: FILE_ID, persist: true, async: true });
    await quire.extract.submit({ file: new Blob(["%PDF"]) }, { persist: true });
    expect(await formFields(api.requests[1]!)).toMatchObject({ persist: "true", async: "true" });
  });
});
