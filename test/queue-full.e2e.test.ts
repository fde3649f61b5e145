import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formWith, makePdf } from "./fixtures.js";
import { startStack, waitForJobEnd, type Stack } from "./harness.js";

type Json = Record<string, any>;

describe("a full work queue (QUIRE_MAX_QUEUED_JOBS=2)", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ QUIRE_MAX_QUEUED_JOBS: "2" });
  });
  afterAll(() => stack?.stop());

  const submit = async () => stack.api("/v1/extract", { method: "POST", body: formWith(await makePdf(1), { async: "true" }) });

  it("refuses a new job with 429 and Retry-After, creating nothing, keeps the queued jobs, and admits again once they drain", async () => {
    await stack.kill("parse", "SIGTERM"); // nothing drains the queue now
    const queued: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await submit();
      expect(res.status).toBe(202);
      queued.push(((await res.json()) as Json).job_id as string);
    }
    const refused = await submit();
    const body = (await refused.json()) as Json;
    expect(refused.status).toBe(429);
    expect(body.error).toMatchObject({ code: "RATE_LIMITED", details: { queued: 2, limit: 2 } });
    expect(refused.headers.get("retry-after")).toBeTruthy();
    expect(body.job_id).toBeUndefined();
    const listed = (await (await stack.api("/v1/jobs?limit=10")).json()) as Json;
    expect((listed.jobs as Json[]).map((j) => j.job_id).sort()).toEqual([...queued].sort());

    await stack.start("parse");
    for (const jobId of queued) expect((await waitForJobEnd(stack, jobId)).status).toBe("completed");
    const admitted = await submit();
    expect(admitted.status).toBe(202);
    expect((await waitForJobEnd(stack, ((await admitted.json()) as Json).job_id as string)).status).toBe("completed");
  }, 120_000);
});
