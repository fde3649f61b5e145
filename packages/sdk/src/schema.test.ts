import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Quire } from "./client.js";
import { QuireApiError, QuireJobFailedError } from "./errors.js";
import { apiError, formFields, startMockApi, type MockApi } from "./testing/mock-api.js";
import { EXTRACTION_ID, FILE_ID, JOB_ID, schemaJob, schemaResult, splitJob } from "./testing/fixtures.js";
import type { JobProgress, SchemaConfig } from "./types.js";

const accepted = { status: 202, json: { job_id: JOB_ID, status: "pending" } };
const jobPath = `/v1/jobs/${JOB_ID}`;
const schemaConfig: SchemaConfig = {
  input_schema: {
    type: "object",
    properties: { invoice_number: { type: "string" }, total: { type: "number" }, due_date: { type: "string", format: "date" } },
    required: ["invoice_number"],
  },
};

describe("quire.schema", () => {
  let api: MockApi;
  let quire: Quire;
  beforeEach(async () => {
    api = await startMockApi();
    quire = new Quire("sk_test_0123456789", { baseUrl: api.url, retryDelayMs: 5 });
  });
  afterEach(() => api.close());

  it("run() fills from an extraction_id (JSON) and returns the 200's result with its citations", async () => {
    api.on("POST", "/v1/schema", { json: { job_id: JOB_ID, status: "completed", result: schemaResult() } });
    const result = await quire.schema.run({ extractionId: EXTRACTION_ID }, { schemaConfig, engine: "llm" });
    expect(result.schema_output).toEqual({ invoice_number: "INV-1042", total: 4.11, due_date: null });
    expect(result.citations["/total"]?.[0]).toMatchObject({ page: 1, block_id: "p1-b9" });
    const sent = api.requests[0]!;
    expect(sent.path).toBe("/v1/schema");
    expect(sent.headers["idempotency-key"]).toBeTruthy();
    expect(JSON.parse(sent.body)).toEqual({ extraction_id: EXTRACTION_ID, schema_config: schemaConfig, engine: "llm" });
  });

  it("run() uploads bytes as multipart with schema_config JSON-encoded, and follows a 202 to the result", async () => {
    api.on("POST", "/v1/schema", accepted);
    api.on("GET", jobPath, { json: schemaJob("processing", 50, "page 1/1") }, { json: schemaJob("completed", 100) });
    const config = { ...schemaConfig, schema_prompt: "dates are DD/MM" };
    const result = await quire.schema.run(
      { file: new TextEncoder().encode("%PDF-1.7 invoice"), filename: "inv.pdf" },
      { schemaConfig: config, ocr: "never", pollIntervalMs: 5 },
    );
    expect(result.usage.fields_filled).toBe(2);
    const fields = await formFields(api.requests[0]!);
    expect(JSON.parse(fields["schema_config"]!)).toEqual(config);
    expect(fields).toMatchObject({ ocr: "never" });
    expect(fields).not.toHaveProperty("async");
  });

  it("runJob() asks for a job (async: true) with webhook and idempotency options and returns its id", async () => {
    api.on("POST", "/v1/schema", accepted);
    await expect(
      quire.schema.runJob(
        { fileId: FILE_ID },
        {
          schemaConfig,
          webhookUrl: "https://hooks.example.com/job",
          metadata: { batch: 7 },
          idempotencyKey: "inv-7",
        },
      ),
    ).resolves.toBe(JOB_ID);
    expect(api.requests[0]!.headers["idempotency-key"]).toBe("inv-7");
    expect(JSON.parse(api.requests[0]!.body)).toEqual({
      file_id: FILE_ID,
      schema_config: schemaConfig,
      metadata: { batch: 7 },
      webhook_url: "https://hooks.example.com/job",
      async: true,
    });
  });

  it("createAndPoll() reports progress, then returns the SchemaResult", async () => {
    api.on("POST", "/v1/schema", accepted);
    api.on(
      "GET",
      jobPath,
      { json: schemaJob("processing", 40, "parse") },
      { json: schemaJob("processing", 85, "filling") },
      { json: schemaJob("completed", 100) },
    );
    const seen: JobProgress[] = [];
    const result = await quire.schema.createAndPoll(
      { fileUrl: "https://example.com/inv.pdf" },
      { schemaConfig, pollIntervalMs: 5, onProgress: (p) => seen.push(p) },
    );
    expect(result.schema_id).toBe("sch_1");
    expect(seen.map((p) => p.pct)).toEqual([40, 85, 100]);
  });

  it("an invalid schema is the API's INVALID_SCHEMA with the pointer in its details", async () => {
    api.on(
      "POST",
      "/v1/schema",
      apiError(400, "INVALID_SCHEMA", '/properties/total/type: unsupported type "null"', { pointer: "/properties/total/type" }),
    );
    const err = await quire.schema.run({ extractionId: EXTRACTION_ID }, { schemaConfig }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QuireApiError);
    expect(err).toMatchObject({ status: 400, code: "INVALID_SCHEMA", details: { pointer: "/properties/total/type" } });
  });

  it("a failed job is a QuireJobFailedError; a completed job of another kind is not passed off as a schema result", async () => {
    api.on("POST", "/v1/schema", accepted);
    api.on("GET", jobPath, {
      json: schemaJob("failed", 60, "", { error: { code: "LLM_UNAVAILABLE", message: "model endpoint refused" } }),
    });
    const err = await quire.schema.run({ extractionId: EXTRACTION_ID }, { schemaConfig, pollIntervalMs: 5 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QuireJobFailedError);
    expect(err).toMatchObject({ code: "LLM_UNAVAILABLE", status: "failed" });

    api.on("GET", jobPath, { json: splitJob("completed", 100) });
    await expect(quire.schema.run({ extractionId: EXTRACTION_ID }, { schemaConfig, pollIntervalMs: 5 })).rejects.toThrow(
      `job ${JOB_ID} has kind split, not schema`,
    );
  });

  it("refuses a call without schemaConfig.input_schema before sending anything", async () => {
    await expect(quire.schema.run({ extractionId: EXTRACTION_ID }, {} as never)).rejects.toThrow(/options\.schemaConfig/);
    await expect(quire.schema.run({ extractionId: EXTRACTION_ID }, { schemaConfig: {} } as never)).rejects.toThrow(/input_schema/);
    expect(api.requests).toHaveLength(0);
  });
});
