import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "@quire/runtime/testing";
import { formWith, makePdf } from "./fixtures.js";
import { readJobEvents } from "./events.js";
import { startStack, waitForJobEnd, type Stack } from "./harness.js";

type Json = Record<string, any>;

describe("nats-server restarted under load (same port, same store)", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ QUIRE_ACK_WAIT_MS: "2000" });
  });
  afterAll(() => stack?.stop());

  async function submit(pages: number): Promise<string> {
    const res = await stack.api("/v1/extract", { method: "POST", body: formWith(await makePdf(pages, 20), { async: "true" }) });
    expect(res.status).toBe(202);
    return ((await res.json()) as Json).job_id as string;
  }

  it("ends every queued and running job exactly once, and accepts new work once the broker is back", async () => {
    const before = [await submit(120), await submit(60), await submit(3), await submit(1)];
    await waitFor("parse to be under way", async () =>
      (await readJobEvents(stack.nats.url, before[0]!)).some((e) => e.type === "progress"),
    );

    // As an operator's restart would: same port, same store.
    await stack.stopNats();
    await stack.startNats();

    // The gateway answers 503 while it reconnects; a client retries, as the SDK does.
    const after = await waitFor(
      "a submit to be accepted again",
      async () => {
        const res = await stack.api("/v1/extract", { method: "POST", body: formWith(await makePdf(2), { async: "true" }) });
        return res.status === 202 ? (((await res.json()) as Json).job_id as string) : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );

    for (const jobId of [...before, after]) {
      const job = await waitForJobEnd(stack, jobId, 120_000);
      expect(job.status, `job ${jobId}: ${JSON.stringify(job.error)}`).toBe("completed");
      const events = await readJobEvents(stack.nats.url, jobId);
      expect(events.filter((e) => ["completed", "failed", "canceled"].includes(e.type))).toHaveLength(1);
    }
    // The projection followed the broker across the restart: the list agrees with each job.
    const list = (await (await stack.api("/v1/jobs?limit=50")).json()) as Json;
    const listed = new Map((list.jobs as Json[]).map((j) => [j.job_id, j.status]));
    for (const jobId of [...before, after]) expect(listed.get(jobId)).toBe("completed");
  }, 240_000);
});

describe("nats-server down when a request arrives", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.stop());

  it("answers 503 without a job id, and the same Idempotency-Key after recovery yields one job", async () => {
    const pdf = await makePdf(1);
    const send = () =>
      stack.api("/v1/extract", {
        method: "POST",
        body: formWith(pdf, { async: "true" }),
        headers: { "idempotency-key": "outage-1" },
      });
    await stack.stopNats();
    const refused = await send();
    const body = (await refused.json()) as Json;
    expect(refused.status).toBe(503);
    expect(body.error.code).toBe("UNAVAILABLE");
    expect(body.job_id).toBeUndefined();
    expect(refused.headers.get("retry-after")).toBeTruthy();

    await stack.startNats();
    const accepted = await waitFor(
      "the broker to be back",
      async () => {
        const res = await send();
        return res.status === 202 ? ((await res.json()) as Json) : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    // A replay right after recovery may still meet a broker that is catching up (503): retry as a client would.
    const again = await waitFor(
      "the replay to be answered",
      async () => {
        const res = await send();
        return res.status === 202 ? ((await res.json()) as Json) : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    expect(again.job_id).toBe(accepted.job_id);
    expect((await waitForJobEnd(stack, accepted.job_id as string)).status).toBe("completed");
  }, 120_000);
});
