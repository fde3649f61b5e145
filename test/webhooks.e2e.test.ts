import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { waitFor } from "@quire/runtime/testing";
import { startStack, waitForJobEnd, type Stack } from "./harness.js";
import { call, deliveriesOf, newSecret, startReceiver, submit, waitForDelivery, type Receiver } from "./webhook-receiver.js";

type Json = Record<string, any>;
type Headers = Record<string, string>;

/** A compressed Svix-like schedule: attempt 1 at once, then 300 ms, 3 s, 300 ms, 300 ms. */
const SCHEDULE = "0,300,3000,300,300";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("webhooks for a job's own webhook_url (real receiver, every service a process)", () => {
  let stack: Stack;
  let rx: Receiver;
  beforeAll(async () => {
    rx = await startReceiver();
    stack = await startStack({ QUIRE_WEBHOOK_RETRY_SCHEDULE_MS: SCHEDULE, QUIRE_WEBHOOK_TIMEOUT_MS: "2000" });
  });
  afterAll(async () => {
    await stack?.stop();
    await rx?.close();
  });

  it("delivers job.completed signed per Standard Webhooks, with the metadata echoed and the result inline", async () => {
    const secret = newSecret();
    const jobId = await submit(stack, { webhook_url: `${rx.url}/signed`, webhook_secret: secret, metadata: '{"ref":"A-1"}' });
    const [got] = await waitFor("the webhook", () => rx.received("/signed").length > 0 && rx.received("/signed"));
    // Verified by the independent reference library, not by our own signer.
    expect(() => new Webhook(secret).verify(got!.body, got!.headers as Headers)).not.toThrow();
    expect(() => new Webhook(newSecret()).verify(got!.body, got!.headers as Headers)).toThrow(/No matching signature/);
    expect(got!.json).toMatchObject({
      type: "job.completed",
      data: { job_id: jobId, kind: "extract", status: "completed", metadata: { ref: "A-1" }, error: null },
    });
    expect(got!.json.data.result.page_count).toBe(1);
    expect(Date.parse(got!.json.timestamp)).not.toBeNaN();
    expect(got!.headers["webhook-id"]).toMatch(/^msg_[A-Za-z0-9_-]+$/);
    expect(Math.abs(Number(got!.headers["webhook-timestamp"]) - Date.now() / 1000)).toBeLessThan(30);
    // The secret is never served back: not by the job, not by the delivery log.
    expect(await (await stack.api(`/v1/jobs/${jobId}`)).text()).not.toContain(secret.slice(6, 30));
    const log = await waitForDelivery(stack, `job_id=${jobId}`, (d) => d.status === "succeeded");
    expect(log).toMatchObject({ job_id: jobId, endpoint_id: null, event_type: "job.completed", message_id: got!.headers["webhook-id"] });
    expect(log.attempts).toEqual([expect.objectContaining({ attempt: 1, status_code: 200, error: null })]);
    expect(JSON.stringify(log)).not.toContain(secret.slice(6, 30));
  });

  it("retries after 500s and then succeeds, with the same webhook-id and a fresh timestamp and signature each time", async () => {
    const secret = newSecret();
    rx.on("/flaky", (n) => (n <= 2 ? 500 : 200));
    const jobId = await submit(stack, { webhook_url: `${rx.url}/flaky`, webhook_secret: secret });
    await waitFor("three attempts", () => rx.received("/flaky").length >= 3, { timeoutMs: 30_000 });
    const got = rx.received("/flaky");
    expect(got.map((r) => r.attempt)).toEqual([1, 2, 3]);
    expect(new Set(got.map((r) => r.headers["webhook-id"])).size).toBe(1);
    for (const r of got) expect(() => new Webhook(secret).verify(r.body, r.headers as Headers)).not.toThrow();
    expect(got[2]!.at - got[1]!.at).toBeGreaterThanOrEqual(2_900); // the schedule's 3 s gap
    expect(Number(got[2]!.headers["webhook-timestamp"])).toBeGreaterThan(Number(got[0]!.headers["webhook-timestamp"]));
    const log = await waitForDelivery(stack, `job_id=${jobId}`, (d) => d.status === "succeeded");
    expect(log.attempts.map((a: Json) => [a.attempt, a.status_code, a.error])).toEqual([
      [1, 500, "HTTP 500"],
      [2, 500, "HTTP 500"],
      [3, 200, null],
    ]);
    for (const a of log.attempts) expect(a.latency_ms).toBeGreaterThanOrEqual(0);
    await sleep(500);
    expect(rx.received("/flaky")).toHaveLength(3); // nothing after the success
  });

  it("sends job.progress only to targets that opted in", async () => {
    const plain = await submit(stack, { webhook_url: `${rx.url}/plain` }, { pages: 3 });
    const chatty = await submit(stack, { webhook_url: `${rx.url}/chatty`, webhook_events: "job.completed,job.progress" }, { pages: 3 });
    await waitForJobEnd(stack, plain);
    await waitForJobEnd(stack, chatty);
    await waitFor("chatty's completion", () => rx.received("/chatty").some((r) => r.json.type === "job.completed"));
    await waitFor("plain's completion", () => rx.received("/plain").some((r) => r.json.type === "job.completed"));
    expect(rx.received("/plain").map((r) => r.json.type)).toEqual(["job.completed"]);
    const progress = rx.received("/chatty").filter((r) => r.json.type === "job.progress");
    expect(progress.map((r) => r.json.data.progress.message)).toEqual(expect.arrayContaining(["page 1/3", "page 3/3"]));
    expect(progress.every((r) => r.json.data.status === "processing" && r.json.data.job_id === chatty)).toBe(true);
    // Without a secret of its own the request is signed with the tenant's signing secret.
    expect(rx.received("/plain")[0]!.headers["webhook-signature"]).toMatch(/^v1,/);
  });

  it("stops retrying on 410 Gone", async () => {
    rx.on("/gone", () => 410);
    const jobId = await submit(stack, { webhook_url: `${rx.url}/gone` });
    const log = await waitForDelivery(stack, `job_id=${jobId}`, (d) => d.status === "failed");
    expect(log.attempts).toEqual([expect.objectContaining({ attempt: 1, status_code: 410 })]);
    expect(log.next_attempt_at).toBeNull();
    await sleep(1_000);
    expect(rx.received("/gone")).toHaveLength(1);
  });

  it("treats a redirect as a failure and never follows it", async () => {
    rx.on("/moved", () => 302);
    const jobId = await submit(stack, { webhook_url: `${rx.url}/moved` });
    const log = await waitForDelivery(stack, `job_id=${jobId}`, (d) => d.attempts.length >= 2);
    expect(log.attempts[0]).toMatchObject({ status_code: 302, error: expect.stringContaining("redirects are not followed") });
    expect(rx.received("/moved").every((r) => r.path === "/moved")).toBe(true);
  });

  it("replays a failed delivery on request: attempt n+1, same webhook-id; another tenant gets 404", async () => {
    rx.on("/replay", (n) => (n === 1 ? 410 : 200));
    const jobId = await submit(stack, { webhook_url: `${rx.url}/replay` });
    const failed = await waitForDelivery(stack, `job_id=${jobId}`, (d) => d.status === "failed");
    const path = `/v1/webhooks/deliveries/${failed.delivery_id}/retry`;
    expect((await call(stack, "POST", path, undefined, "globex")).status).toBe(404);
    expect(await deliveriesOf(stack, `job_id=${jobId}`, "globex")).toEqual([]);
    const replay = await call(stack, "POST", path);
    expect(replay.status).toBe(202);
    const done = await waitForDelivery(stack, `job_id=${jobId}`, (d) => d.status === "succeeded");
    expect(done.attempts.map((a: Json) => [a.attempt, a.status_code, a.manual])).toEqual([
      [1, 410, false],
      [2, 200, true],
    ]);
    const got = rx.received("/replay");
    expect(got.map((r) => r.attempt)).toEqual([1, 2]);
    expect(got[1]!.headers["webhook-id"]).toBe(got[0]!.headers["webhook-id"]);
  });

  it("delivers job.canceled when the job is canceled", async () => {
    const jobId = await submit(stack, { webhook_url: `${rx.url}/canceled` }, { pages: 40 });
    expect((await stack.api(`/v1/jobs/${jobId}`, { method: "DELETE" })).status).toBe(200);
    const [got] = await waitFor("the cancel webhook", () => rx.received("/canceled").length > 0 && rx.received("/canceled"));
    expect(got!.json).toMatchObject({ type: "job.canceled", data: { job_id: jobId, status: "canceled", error: { code: "CANCELED" } } });
    expect(got!.json.data.result).toBeUndefined();
  });

  it("survives the notifier being SIGKILLed between attempts: the delivery completes, no attempt is sent twice", async () => {
    rx.on("/killed", (n) => (n <= 2 ? 500 : 200));
    const jobId = await submit(stack, { webhook_url: `${rx.url}/killed` });
    // Attempt 2 is recorded and attempt 3 is 3 s away: kill the notifier in that gap.
    await waitForDelivery(stack, `job_id=${jobId}`, (d) => d.attempts.length === 2);
    await stack.kill("notifier", "SIGKILL");
    expect(rx.received("/killed")).toHaveLength(2); // killed before attempt 3 went out
    await stack.start("notifier");
    const log = await waitForDelivery(stack, `job_id=${jobId}`, (d) => d.status === "succeeded", 60_000);
    expect(log.attempts.map((a: Json) => [a.attempt, a.status_code])).toEqual([
      [1, 500],
      [2, 500],
      [3, 200],
    ]);
    await sleep(1_000);
    expect(rx.received("/killed").map((r) => r.attempt)).toEqual([1, 2, 3]);
  }, 120_000);

  it("survives a SIGKILL during an attempt: that attempt is logged as interrupted, not resent, and the next one follows", async () => {
    rx.on("/inflight", (n) => (n === 1 ? "hang" : 200));
    const jobId = await submit(stack, { webhook_url: `${rx.url}/inflight` });
    await waitFor("attempt 1 to reach the receiver", () => rx.received("/inflight").length === 1);
    await stack.kill("notifier", "SIGKILL");
    await stack.start("notifier");
    // The dead sender's claim is taken over once its lease (timeout + 5 s) runs out.
    const log = await waitForDelivery(stack, `job_id=${jobId}`, (d) => d.status === "succeeded", 60_000);
    expect(log.attempts.map((a: Json) => [a.attempt, a.status_code])).toEqual([
      [1, null],
      [2, 200],
    ]);
    expect(log.attempts[0].error).toMatch(/interrupted/);
    await sleep(500);
    expect(rx.received("/inflight").map((r) => r.attempt)).toEqual([1, 2]);
  }, 120_000);
});
