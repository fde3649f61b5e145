import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Quire } from "./client.js";
import { QuireApiError } from "./errors.js";
import { apiError, startMockApi, type MockApi } from "./testing/mock-api.js";
import { JOB_ID, job } from "./testing/fixtures.js";

const summary = (n: number) => ({ ...job("completed", 100), job_id: `job_${String(n).padStart(32, "0")}`, result: undefined });

describe("quire.jobs and quire.files", () => {
  let api: MockApi;
  let quire: Quire;
  beforeEach(async () => {
    api = await startMockApi();
    quire = new Quire("sk_test_0123456789", { baseUrl: api.url, retryDelayMs: 5 });
  });
  afterEach(() => api.close());

  it("list() sends the filters as query parameters", async () => {
    api.on("GET", "/v1/jobs", { json: { jobs: [], next_cursor: null } });
    await quire.jobs.list({ status: "failed", kind: "extract", limit: 5, cursor: "c1" });
    expect(Object.fromEntries(api.requests[0]!.query)).toEqual({ status: "failed", kind: "extract", limit: "5", cursor: "c1" });
  });

  it("listAll() follows next_cursor page by page and yields every job once", async () => {
    api.on("GET", "/v1/jobs", (r) => {
      const cursor = r.query.get("cursor");
      if (!cursor) return { json: { jobs: [summary(1), summary(2)], next_cursor: "p2" } };
      if (cursor === "p2") return { json: { jobs: [summary(3)], next_cursor: "p3" } };
      return { json: { jobs: [summary(4)], next_cursor: null } };
    });
    const ids: string[] = [];
    for await (const j of quire.jobs.listAll({ status: "completed", limit: 2 })) ids.push(j.job_id);
    expect(ids).toEqual([1, 2, 3, 4].map((n) => summary(n).job_id));
    expect(api.requests.map((r) => r.query.get("cursor"))).toEqual([null, "p2", "p3"]);
    expect(api.requests.every((r) => r.query.get("status") === "completed" && r.query.get("limit") === "2")).toBe(true);
  });

  it("listAll() fetches the next page only when the caller reads past the current one", async () => {
    api.on("GET", "/v1/jobs", { json: { jobs: [summary(1)], next_cursor: "p2" } });
    for await (const j of quire.jobs.listAll()) {
      expect(j.job_id).toBe(summary(1).job_id);
      break;
    }
    expect(api.requests).toHaveLength(1);
  });

  it("cancel() sends DELETE and returns the canceled job", async () => {
    api.on("DELETE", `/v1/jobs/${JOB_ID}`, { json: { job_id: JOB_ID, status: "canceled" } });
    await expect(quire.jobs.cancel(JOB_ID)).resolves.toEqual({ job_id: JOB_ID, status: "canceled" });
    expect(api.requests[0]?.method).toBe("DELETE");
  });

  it("cancel() of a job that already ended throws QuireApiError CONFLICT (409)", async () => {
    api.on(
      "DELETE",
      `/v1/jobs/${JOB_ID}`,
      apiError(409, "CONFLICT", "job has already ended (completed); nothing to cancel", { status: "completed" }),
    );
    const err = await quire.jobs.cancel(JOB_ID).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QuireApiError);
    expect(err).toMatchObject({ status: 409, code: "CONFLICT", details: { status: "completed" } });
  });

  it("get() escapes the id into the path", async () => {
    await expect(quire.jobs.get("../files")).rejects.toMatchObject({ status: 404 });
    expect(api.requests[0]?.path).toBe("/v1/jobs/..%2Ffiles");
  });

  it("files.upload() posts the bytes as multipart field file, with an Idempotency-Key", async () => {
    const uploaded = { file_id: `file_${"d".repeat(64)}`, bytes: 4, media_type: "application/pdf", filename: "a.pdf" };
    api.on("POST", "/v1/files", { status: 201, json: uploaded });
    await expect(quire.files.upload(new TextEncoder().encode("%PDF"), "a.pdf")).resolves.toEqual(uploaded);
    expect(api.requests[0]?.body).toMatch(/name="file"; filename="a.pdf"\r\nContent-Type: application\/octet-stream\r\n\r\n%PDF\r\n/);
    expect(api.requests[0]?.headers["idempotency-key"]).toBeTruthy();
  });

  it("refuses to start without an API key", () => {
    expect(() => new Quire("")).toThrow(TypeError);
  });
});
