// Idempotency keys on a real nats-server: the 24 h keys of Idempotency-Key, and the short
// windows the vendor routes use to fold a retried POST (same content) into the first job.
import { Kvm } from "@nats-io/kv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IDEMPOTENCY_BUCKET, connectNats, createLogger, type NatsConnection } from "@quire/runtime";
import { startNatsServer, type NatsServer } from "@quire/runtime/testing";
import { createIdempotency, type Idempotency } from "../src/idempotency.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("idempotency claims", () => {
  let nats: NatsServer;
  let nc: NatsConnection;
  let idem: Idempotency;

  beforeAll(async () => {
    nats = await startNatsServer();
    nc = await connectNats(nats.url, { logger: createLogger({ service: "gateway-test", level: "silent" }), name: "gateway-test" });
    await new Kvm(nc).create(IDEMPOTENCY_BUCKET, { history: 1 });
    idem = await createIdempotency(nc);
  });
  afterAll(async () => {
    await nc?.close();
    await nats?.stop();
  });

  it("gives a key's first job back for the same body, 409 for another body, and keeps tenants apart", async () => {
    const first = await idem.claim("acme", "k-1", "h1", "job_a");
    expect(first).toMatchObject({ jobId: "job_a", fresh: true });
    const again = await idem.claim("acme", "k-1", "h1", "job_b");
    expect(again).toMatchObject({ jobId: "job_a", fresh: false });
    expect(again.claimedAt).toBeLessThanOrEqual(Date.now());
    await expect(idem.claim("acme", "k-1", "h2", "job_c")).rejects.toMatchObject({ code: "CONFLICT", details: { job_id: "job_a" } });
    expect(await idem.claim("globex", "k-1", "h1", "job_d")).toMatchObject({ jobId: "job_d", fresh: true });
    await expect(idem.claim("acme", "x".repeat(256), "h1", "job_e")).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
  });

  it("folds a retry inside the window into the first job, and lets a claim older than the window go to a new job", async () => {
    expect(await idem.claim("acme", "content-1", "h", "job_1", 300)).toMatchObject({ jobId: "job_1", fresh: true });
    expect(await idem.claim("acme", "content-1", "h", "job_2", 300)).toMatchObject({ jobId: "job_1", fresh: false });
    await sleep(400);
    expect(await idem.claim("acme", "content-1", "h", "job_3", 300)).toMatchObject({ jobId: "job_3", fresh: true });
    // The taken-over claim starts a new window: a retry right after gets job_3.
    expect(await idem.claim("acme", "content-1", "h", "job_4", 300)).toMatchObject({ jobId: "job_3", fresh: false });
  });

  it("gives two concurrent take-overs of an expired claim one job between them", async () => {
    await idem.claim("acme", "content-2", "h", "job_old", 200);
    await sleep(300);
    const [a, b] = await Promise.all([
      idem.claim("acme", "content-2", "h", "job_x", 200),
      idem.claim("acme", "content-2", "h", "job_y", 200),
    ]);
    expect([a.fresh, b.fresh].filter(Boolean)).toHaveLength(1);
    expect(a.jobId).toBe(b.jobId);
    expect(["job_x", "job_y"]).toContain(a.jobId);
  });
});
