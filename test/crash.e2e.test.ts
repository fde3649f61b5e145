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
  it("keeps a stage that outlasts its AckWait several times on one delivery (heartbeats), with no duplicate output", async () => {
    // OCR of every page keeps parse busy for well over 3 × AckWait (2 s) on any machine of this kind.
    const res = await stack.api("/v1/extract", { method: "POST", body: formWith(await makePdf(12, 40), { async: "true", ocr: "always" }) });
    const { job_id } = (await res.json()) as Json;
    const job = await waitForJobEnd(stack, job_id, 120_000);
    expect(job.status).toBe("completed");
    const events = await readJobEvents(stack.nats.url, job_id);
    const parseStarted = events.find((e) => e.type === "started" && e.stage === "parse");
    const parseDone = events.find((e) => e.type === "stage_completed" && e.stage === "parse");
    // The parse stage really held its message for more than 3 × AckWait (2 s)…
    expect(Number(parseDone!.timeUnixMs) - Number(parseStarted!.timeUnixMs)).toBeGreaterThan(6_000);
    // …and was never redelivered: one attempt, one "stage done", one completed event.
    const parseLines = stack.logs("parse").filter((l) => l.includes(job_id));
    expect(parseLines.some((l) => l.includes('"attempt":2'))).toBe(false);
    expect(parseLines.filter((l) => l.includes('"msg":"stage done"'))).toHaveLength(1);
    expect(events.filter((e) => e.type === "completed")).toHaveLength(1);
  }, 180_000);
});
