import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "@quire/runtime/testing";
import { formWith, makePdf } from "./fixtures.js";
import { readJobEvents } from "./events.js";
import { startStack, waitForJobEnd, type Stack } from "./harness.js";

type Json = Record<string, any>;

describe("at-least-once delivery, exactly-once effect", () => {
  let stack: Stack;
  beforeAll(async () => {
    // A short AckWait so the killed worker's message is redelivered within the test.
    stack = await startStack({ QUIRE_ACK_WAIT_MS: "2000" });
  });
  afterAll(() => stack?.stop());

  it("completes a job once after its parse worker is SIGKILLed mid-job and restarted", async () => {
    const res = await stack.api("/v1/extract", { method: "POST", body: formWith(await makePdf(300, 40), { async: "true" }) });
    const { job_id } = (await res.json()) as Json;
    await waitFor("parse to report progress", async () =>
      (await readJobEvents(stack.nats.url, job_id)).some((e) => e.type === "progress" && e.stage === "parse"),
    );
    await stack.kill("parse", "SIGKILL");
    const before = await readJobEvents(stack.nats.url, job_id);
    expect(before.some((e) => e.type === "completed")).toBe(false);
    await stack.start("parse");

    const job = await waitForJobEnd(stack, job_id, 120_000);
    expect(job.status).toBe("completed");
    const events = await readJobEvents(stack.nats.url, job_id);
    expect(events.filter((e) => e.type === "completed")).toHaveLength(1);
    expect(events.filter((e) => ["failed", "canceled"].includes(e.type))).toHaveLength(0);
    // The successor stage ran once: extract handled this job exactly one time.
    const extractRuns = stack.logs("extract").filter((l) => l.includes(job_id) && l.includes('"msg":"stage done"'));
    expect(extractRuns).toHaveLength(1);
    // And parse really was redelivered to the restarted process.
    expect(stack.logs("parse").some((l) => l.includes(job_id) && l.includes('"attempt":2'))).toBe(true);
  });
});
