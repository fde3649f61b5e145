import { describe, expect, it } from "vitest";
import { create } from "@bufbuild/protobuf";
import { EventType, JobEventSchema, JobKind } from "@quire/contracts";
import { buildBody, resultPart } from "./payload.js";

const accepted = create(JobEventSchema, { jobId: "job_1", tenantId: "acme", kind: JobKind.EXTRACT, metadataJson: '{"ref":"A-1"}' });
const at = Date.UTC(2026, 0, 2, 3, 4, 5);

describe("buildBody", () => {
  it("shapes job.completed as {type, timestamp, data} with metadata echoed and the result part", () => {
    const ev = create(JobEventSchema, { jobId: "job_1", tenantId: "acme", type: EventType.COMPLETED, timeUnixMs: at });
    const body = JSON.parse(buildBody("job.completed", ev, accepted, { result: { markdown: "# Hi" } }));
    expect(body).toEqual({
      type: "job.completed",
      timestamp: "2026-01-02T03:04:05.000Z",
      data: { job_id: "job_1", kind: "extract", status: "completed", metadata: { ref: "A-1" }, result: { markdown: "# Hi" }, error: null },
    });
  });

  it("carries the error of a failed job and no result", () => {
    const ev = create(JobEventSchema, { jobId: "job_1", type: EventType.FAILED, error: { code: "INVALID_PDF", message: "bad" } });
    const body = JSON.parse(buildBody("job.failed", ev, null, null));
    expect(body.data).toMatchObject({ status: "failed", metadata: {}, error: { code: "INVALID_PDF", message: "bad" } });
    expect(body.data).not.toHaveProperty("result");
  });

  it("carries progress for job.progress", () => {
    const ev = create(JobEventSchema, {
      jobId: "job_1",
      type: EventType.PROGRESS,
      progress: { pct: 50, message: "page 1/2", stage: "parse" },
    });
    expect(JSON.parse(buildBody("job.progress", ev, accepted, null)).data).toMatchObject({
      status: "processing",
      progress: { pct: 50, message: "page 1/2", stage: "parse" },
      error: null,
    });
  });
});

describe("resultPart", () => {
  const stored = Buffer.from(JSON.stringify({ markdown: "x".repeat(100) }));
  it("inlines a result up to the limit", () => expect(resultPart("job_1", stored, 1_000, "")).toHaveProperty("result.markdown"));
  it("links to the job above the limit (absolute with a public URL)", () => {
    expect(resultPart("job_1", stored, 10, "http://localhost:8080")).toEqual({ result_url: "http://localhost:8080/v1/jobs/job_1" });
    expect(resultPart("job_1", stored, 10, "https://q.example")).toEqual({ result_url: "https://q.example/v1/jobs/job_1" });
  });
  it("links when the result has expired", () =>
    expect(resultPart("job_1", null, 1_000, "https://q.example")).toEqual({ result_url: "https://q.example/v1/jobs/job_1" }));
});
