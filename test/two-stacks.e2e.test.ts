import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "@quire/runtime/testing";
import { formWith, makePdf } from "./fixtures.js";
import { startStack, type Stack } from "./harness.js";

type Json = Record<string, any>;

describe("two stacks on one host never mix", () => {
  let first: Stack;
  let second: Stack;
  beforeAll(async () => {
    [first, second] = await Promise.all([startStack(), startStack()]);
  });
  afterAll(async () => {
    await Promise.all([first?.stop(), second?.stop()]);
  });

  it("keeps each stack's jobs to itself", async () => {
    const res = await first.api("/v1/extract", { method: "POST", body: formWith(await makePdf(1)) });
    const { job_id } = (await res.json()) as Json;
    expect((await first.api(`/v1/jobs/${job_id}`)).status).toBe(200);
    expect((await second.api(`/v1/jobs/${job_id}`)).status).toBe(404);
  });

  it("refuses a job-status of another stack: not ready, and no job read through it", async () => {
    // The second stack's gateway, pointed at the first stack's job-status by mistake.
    await second.kill("gateway", "SIGTERM");
    const wrong = first.env.QUIRE_JOB_STATUS_GRPC_ADDR as string;
    await second.start("gateway", { QUIRE_JOB_STATUS_GRPC_ADDR: wrong });
    const ready = await waitFor("readyz to answer", async () => {
      const r = await fetch(`${second.url}/readyz`);
      return r.status === 503 ? ((await r.json()) as Json) : undefined;
    });
    expect(ready.checks.job_store).toMatch(/serves another stack/);
    expect(ready.checks.job_store).toContain("QUIRE_JOB_STATUS_GRPC_ADDR");
    const list = await second.api("/v1/jobs");
    expect(list.status).toBe(503);
    expect(((await list.json()) as Json).error.message).toMatch(/another stack/);
    // Put right, it serves again.
    await second.kill("gateway", "SIGTERM");
    await second.start("gateway");
    await waitFor("readyz ok", async () => (await fetch(`${second.url}/readyz`)).ok);
    expect((await second.api("/v1/jobs")).status).toBe(200);
  });
});
