import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { waitFor } from "@quire/runtime/testing";
import { startStack, waitForJobEnd, type Stack } from "./harness.js";
import { call, deliveriesOf, startReceiver, submit, waitForDelivery, waitForEnd, type Receiver } from "./webhook-receiver.js";

type Json = Record<string, any>;
type Headers = Record<string, string>;

describe("registered webhook endpoints (real receiver, every service a process)", () => {
  let stack: Stack;
  let rx: Receiver;
  beforeAll(async () => {
    rx = await startReceiver();
    stack = await startStack({
      QUIRE_WEBHOOK_RETRY_SCHEDULE_MS: "0,300,1500,300,300",
      QUIRE_WEBHOOK_TIMEOUT_MS: "5000",
      // Short enough to watch: disable after 1 s of failures, rotated secrets overlap for 8 s.
      QUIRE_WEBHOOK_DISABLE_AFTER_MS: "1000",
      QUIRE_WEBHOOK_ROTATION_OVERLAP_MS: "8000",
      // Few slots, so a hanging receiver would starve everyone without the per-endpoint limit.
      QUIRE_WEBHOOK_CONCURRENCY: "6",
      QUIRE_WEBHOOK_ENDPOINT_CONCURRENCY: "2",
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await rx?.close();
  });

  async function register(path: string, tenant: "acme" | "globex" = "acme", events?: string[]): Promise<Json> {
    const res = await call(
      stack,
      "POST",
      "/v1/webhooks",
      { url: `${rx.url}${path}`, description: path, ...(events ? { events } : {}) },
      tenant,
    );
    expect(res.status).toBe(201);
    return res.json;
  }
  const unregister = async (id: string, tenant: "acme" | "globex" = "acme") =>
    expect((await call(stack, "DELETE", `/v1/webhooks/${id}`, undefined, tenant)).status).toBe(200);

  it("shows a generated whsec_ secret once, lists the endpoint without it, and signs its deliveries with it", async () => {
    const ep = await register("/registered");
    expect(ep.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(ep.secret.slice(6), "base64").byteLength).toBe(32);
    expect(ep).toMatchObject({ events: ["job.completed", "job.failed", "job.canceled"], disabled: false, failing_since: null });
    const list = await call(stack, "GET", "/v1/webhooks");
    expect(list.json.webhooks.map((w: Json) => w.endpoint_id)).toContain(ep.endpoint_id);
    expect(JSON.stringify(list.json)).not.toContain(ep.secret.slice(6));
    const jobId = await submit(stack, { metadata: '{"route":"b"}' });
    const [got] = await waitFor("the webhook", () => rx.received("/registered").length > 0 && rx.received("/registered"));
    expect(() => new Webhook(ep.secret).verify(got!.body, got!.headers as Headers)).not.toThrow();
    expect(got!.json.data).toMatchObject({ job_id: jobId, metadata: { route: "b" } });
    const log = await waitForDelivery(stack, `endpoint_id=${ep.endpoint_id}`, (d) => d.job_id === jobId && d.status === "succeeded");
    expect(log.endpoint_id).toBe(ep.endpoint_id);
    await unregister(ep.endpoint_id);
  });

  it("keeps another tenant's endpoints and deliveries invisible (404, never 403)", async () => {
    const ep = await register("/isolated");
    for (const [method, path] of [
      ["GET", ""],
      ["DELETE", ""],
      ["POST", "/rotate"],
    ] as const)
      expect((await call(stack, method, `/v1/webhooks/${ep.endpoint_id}${path}`, undefined, "globex")).status).toBe(404);
    expect((await call(stack, "GET", "/v1/webhooks", undefined, "globex")).json.webhooks).toEqual([]);
    const theirs = await submit(stack, {}, { tenant: "globex" });
    const ours = await submit(stack, {});
    await waitForDelivery(stack, `endpoint_id=${ep.endpoint_id}`, (d) => d.job_id === ours && d.status === "succeeded");
    await waitForEnd(stack, theirs, "globex");
    expect(await deliveriesOf(stack, `endpoint_id=${ep.endpoint_id}`, "globex")).toEqual([]);
    expect(await deliveriesOf(stack, `job_id=${ours}`, "globex")).toEqual([]);
    // globex's job went to no acme endpoint.
    expect(rx.received("/isolated").map((r) => r.json.data.job_id)).toEqual([ours]);
    await unregister(ep.endpoint_id);
  });

  it("sends both signatures while a rotated-out secret is in its overlap, then only the new one", async () => {
    const ep = await register("/rotating");
    const rotated = await call(stack, "POST", `/v1/webhooks/${ep.endpoint_id}/rotate`);
    expect(rotated.status).toBe(200);
    expect(rotated.json.secret).not.toBe(ep.secret);
    await submit(stack, {});
    const [during] = await waitFor("a webhook during the overlap", () => rx.received("/rotating").length > 0 && rx.received("/rotating"));
    expect(during!.headers["webhook-signature"]!.split(" ")).toHaveLength(2);
    for (const secret of [ep.secret, rotated.json.secret])
      expect(() => new Webhook(secret).verify(during!.body, during!.headers as Headers)).not.toThrow();
    const view = await call(stack, "GET", `/v1/webhooks/${ep.endpoint_id}`);
    expect(view.json.previous_secret_expires_at).toBe(rotated.json.previous_secret_expires_at);
    await waitFor("the overlap to end", () => Date.now() > Date.parse(rotated.json.previous_secret_expires_at) + 100, {
      timeoutMs: 15_000,
    });
    await submit(stack, {});
    const after = await waitFor("a webhook after the overlap", () => rx.received("/rotating")[1]);
    expect(after.headers["webhook-signature"]!.split(" ")).toHaveLength(1);
    expect(() => new Webhook(rotated.json.secret).verify(after.body, after.headers as Headers)).not.toThrow();
    expect(() => new Webhook(ep.secret).verify(after.body, after.headers as Headers)).toThrow();
    await unregister(ep.endpoint_id);
  });

  it("disables an endpoint on 410 Gone, visibly, and sends it nothing more", async () => {
    rx.on("/gone", () => 410);
    const ep = await register("/gone");
    await submit(stack, {});
    const view = await waitFor("disabled", async () => {
      const v = await call(stack, "GET", `/v1/webhooks/${ep.endpoint_id}`);
      return v.json.disabled && v.json;
    });
    expect(view).toMatchObject({ disabled: true, disabled_reason: expect.stringContaining("410") });
    expect(view.disabled_at).toBeTruthy();
    const jobId = await submit(stack, {});
    await waitForJobEnd(stack, jobId);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(rx.received("/gone")).toHaveLength(1);
    expect(
      (
        await call(
          stack,
          "POST",
          `/v1/webhooks/deliveries/${(await deliveriesOf(stack, `endpoint_id=${ep.endpoint_id}`))[0]!.delivery_id}/retry`,
        )
      ).status,
    ).toBe(409);
    await unregister(ep.endpoint_id);
  });

  it("disables an endpoint whose attempts keep failing for longer than the disable period", async () => {
    rx.on("/failing", () => 500);
    const ep = await register("/failing");
    await submit(stack, {});
    const view = await waitFor(
      "disabled",
      async () => {
        const v = await call(stack, "GET", `/v1/webhooks/${ep.endpoint_id}`);
        return v.json.disabled && v.json;
      },
      { timeoutMs: 20_000 },
    );
    expect(view.disabled_reason).toMatch(/every attempt has failed since/);
    expect(view.failing_since).toBeTruthy();
    const log = await waitForDelivery(stack, `endpoint_id=${ep.endpoint_id}`, (d) => d.status === "failed");
    expect(log.attempts.length).toBeGreaterThanOrEqual(3);
    expect(log.attempts.at(-1).error).toMatch(/disabled/);
    await unregister(ep.endpoint_id);
  });

  it("keeps delivering to other tenants while one tenant's endpoint hangs", async () => {
    rx.on("/hang", () => "hang");
    const dead = await register("/hang", "globex", ["job.completed", "job.progress"]);
    // Many deliveries for the hanging endpoint: progress for every page of several jobs.
    const globexJobs = await Promise.all([1, 2, 3].map(() => submit(stack, {}, { pages: 4, tenant: "globex" })));
    await Promise.all(globexJobs.map((j) => waitForEnd(stack, j, "globex")));
    await waitFor("the hanging endpoint to hold its slots", () => rx.received("/hang").length >= 2);
    const jobId = await submit(stack, { webhook_url: `${rx.url}/prompt` });
    const job = await waitForJobEnd(stack, jobId);
    const [got] = await waitFor("acme's webhook", () => rx.received("/prompt").length > 0 && rx.received("/prompt"));
    // Well within one attempt timeout (5 s): it did not wait behind the dead endpoint's queue.
    expect(got!.at - Date.parse(job.completed_at as string)).toBeLessThan(3_000);
    await unregister(dead.endpoint_id, "globex");
  }, 120_000);
});
