import { jetstream, DeliverPolicy } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import { connect } from "@nats-io/transport-node";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "@quire/runtime/testing";
import { startStack, type Stack } from "./harness.js";
import { call, newSecret, startReceiver, submit, type Receiver } from "./webhook-receiver.js";

/** Every message of every stream and every value of every KV bucket, as raw bytes. */
async function everythingStored(natsUrl: string): Promise<Array<{ where: string; bytes: Uint8Array }>> {
  const nc = await connect({ servers: natsUrl });
  try {
    const js = jetstream(nc);
    const out: Array<{ where: string; bytes: Uint8Array }> = [];
    const consumer = await js.consumers.get("QUIRE_EVENTS", { deliver_policy: DeliverPolicy.All });
    const total = (await consumer.info(true)).num_pending;
    for (let i = 0; i < total; i++) {
      const m = await consumer.next({ expires: 2_000 });
      if (!m) break;
      out.push({ where: `QUIRE_EVENTS #${m.seq} ${m.subject}`, bytes: m.data });
    }
    const kvm = new Kvm(nc);
    for await (const status of kvm.list()) {
      const kv = await kvm.open(status.bucket);
      for await (const key of await kv.keys()) {
        const e = await kv.get(key);
        if (e) out.push({ where: `KV ${status.bucket}/${key}`, bytes: e.value });
      }
    }
    return out;
  } finally {
    await nc.close();
  }
}

/** Where a secret shows, in its whsec_ form, its base64 or its raw key bytes. */
function leaks(stored: Array<{ where: string; bytes: Uint8Array }>, secret: string): string[] {
  const base64 = secret.slice("whsec_".length);
  const raw = Buffer.from(base64, "base64");
  return stored
    .filter(({ bytes }) => {
      const b = Buffer.from(bytes);
      return b.includes(secret) || b.includes(base64) || b.includes(raw);
    })
    .map((s) => s.where);
}

describe("webhook secrets at rest", () => {
  let stack: Stack;
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver();
    stack = await startStack({ QUIRE_WEBHOOK_RETRY_SCHEDULE_MS: "0,200,500" });
  });
  afterAll(async () => {
    await stack?.stop();
    await receiver?.close();
  });

  it("signs with a request's secret, an endpoint's or the tenant's, and no event or bucket holds any in clear", async () => {
    const requestSecret = newSecret();
    await submit(stack, { webhook_url: `${receiver.url}/own`, webhook_secret: requestSecret });
    const created = await call(stack, "POST", "/v1/webhooks", { url: `${receiver.url}/registered`, events: ["job.completed"] });
    expect(created.status).toBe(201);
    const endpointSecret = created.json.secret as string;
    await submit(stack, {});

    const own = await waitFor("the job's own delivery", () => receiver.received("/own")[0]);
    expect(() => new Webhook(requestSecret).verify(own.body, own.headers as Record<string, string>)).not.toThrow();
    const registered = await waitFor("the endpoint's deliveries", () =>
      receiver.received("/registered").length >= 2 ? receiver.received("/registered") : undefined,
    );
    for (const r of registered) expect(() => new Webhook(endpointSecret).verify(r.body, r.headers as Record<string, string>)).not.toThrow();

    // A job webhook that names no secret is signed with the tenant's signing secret, never sent unsigned.
    await submit(stack, { webhook_url: `${receiver.url}/unnamed` });
    const unnamed = await waitFor("the unnamed-secret delivery", () => receiver.received("/unnamed")[0]);
    const tenantSecret = (await call(stack, "GET", "/v1/webhooks/signing-secret")).json.secret as string;
    expect(tenantSecret).toMatch(/^whsec_/);
    expect(() => new Webhook(tenantSecret).verify(unnamed.body, unnamed.headers as Record<string, string>)).not.toThrow();
    expect((await call(stack, "GET", "/v1/webhooks/signing-secret", undefined, "globex")).json.secret).not.toBe(tenantSecret);

    const stored = await everythingStored(stack.nats.url);
    expect(stored.some((s) => s.where.startsWith("QUIRE_EVENTS"))).toBe(true);
    expect(stored.some((s) => s.where.startsWith("KV quire_webhook_secrets/"))).toBe(true);
    expect(leaks(stored, requestSecret)).toEqual([]);
    expect(leaks(stored, endpointSecret)).toEqual([]);
    expect(leaks(stored, tenantSecret)).toEqual([]);
  });
});
