// WebhooksService as the gateway calls it: the notifier's registry over gRPC, on a real
// nats-server, with the errors arriving as the same Quire codes on the caller's side.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebhooksService, createGrpcClient } from "@quire/contracts";
import {
  connectNats,
  createLogger,
  fromGrpcError,
  isSealed,
  openSealed,
  jobSecretContext,
  parseKeyring,
  type NatsConnection,
  type ServingGrpc,
} from "@quire/runtime";
import { startNatsServer, type NatsServer } from "@quire/runtime/testing";
import { startWebhooksServer } from "../src/grpc-server.js";
import { createRegistry } from "../src/registry.js";
import { openNotifierStore, type NotifierStore } from "../src/store.js";
import { createTenantSecrets } from "../src/tenant-secrets.js";

const JOB = `job_${"1".repeat(32)}`;

describe("WebhooksService (notifier gRPC)", () => {
  let nats: NatsServer;
  let nc: NatsConnection;
  let store: NotifierStore;
  let server: ServingGrpc;
  let client: ReturnType<typeof connect>;
  const keyring = parseKeyring(`k1:${randomBytes(32).toString("base64")}`);
  const connect = (port: number) =>
    createGrpcClient(WebhooksService, `127.0.0.1:${port}`, { mapError: (err) => fromGrpcError(err, "the notifier") });
  const codeOf = (p: Promise<unknown>) =>
    p.then(
      () => "ok",
      (e: { code?: string }) => e.code,
    );

  beforeAll(async () => {
    nats = await startNatsServer();
    const logger = createLogger({ service: "notifier-test", level: "silent" });
    nc = await connectNats(nats.url, { logger, name: "notifier-test" });
    store = await openNotifierStore(nc, 3_600_000);
    const registry = createRegistry({
      store,
      keyring,
      tenantSecrets: createTenantSecrets(store.tenantSecrets, keyring),
      rotationOverlapMs: 60_000,
    });
    server = await startWebhooksServer("127.0.0.1:0", registry, logger, async () => {});
    client = connect(server.port);
  });
  afterAll(async () => {
    client?.close();
    await server?.stop(1_000);
    await nc?.close();
    await nats?.stop();
  });

  it("registers, lists, rotates and deletes an endpoint for its tenant only", async () => {
    const made = await client.createWebhookEndpoint({
      tenantId: "acme",
      url: "https://hooks.example.com/a",
      events: ["job.completed"],
      description: "ci",
    });
    const id = made.endpoint?.endpointId ?? "";
    expect(id).toMatch(/^ep_[0-9a-f]{32}$/);
    expect(made.secret).toMatch(/^whsec_/);
    expect((await client.listWebhookEndpoints({ tenantId: "acme" })).endpoints.map((e) => e.endpointId)).toEqual([id]);
    expect((await client.listWebhookEndpoints({ tenantId: "globex" })).endpoints).toEqual([]);
    // Another tenant's endpoint is not found, whatever the call.
    expect(await codeOf(client.getWebhookEndpoint({ tenantId: "globex", endpointId: id }))).toBe("NOT_FOUND");
    expect(await codeOf(client.rotateWebhookSecret({ tenantId: "globex", endpointId: id }))).toBe("NOT_FOUND");
    expect(await codeOf(client.deleteWebhookEndpoint({ tenantId: "globex", endpointId: id }))).toBe("NOT_FOUND");

    const rotated = await client.rotateWebhookSecret({ tenantId: "acme", endpointId: id });
    expect(rotated.secret).not.toBe(made.secret);
    expect(rotated.previousSecretExpiresUnixMs).toBeGreaterThan(Date.now());
    expect((await client.getWebhookEndpoint({ tenantId: "acme", endpointId: id })).previousSecretExpiresUnixMs).toBe(
      rotated.previousSecretExpiresUnixMs,
    );
    // Stored sealed, never in clear: the newest first, the rotated-out one still there.
    const stored = await store.endpoints.get(`acme.${id}`);
    expect(Buffer.from(stored?.value ?? []).includes(rotated.secret)).toBe(false);

    await client.deleteWebhookEndpoint({ tenantId: "acme", endpointId: id });
    expect(await codeOf(client.getWebhookEndpoint({ tenantId: "acme", endpointId: id }))).toBe("NOT_FOUND");
  });

  it("keeps a request's secret sealed under the job id, and makes the tenant's signing secret once", async () => {
    const secret = `whsec_${randomBytes(32).toString("base64")}`;
    expect((await client.prepareJobWebhook({ tenantId: "acme", jobId: JOB, secret })).secretRef).toBe(JOB);
    const sealed = (await store.secrets.get(JOB))?.string() ?? "";
    expect(isSealed(sealed)).toBe(true);
    expect(openSealed(keyring, sealed, jobSecretContext(JOB))).toBe(secret);

    expect((await client.prepareJobWebhook({ tenantId: "initech", jobId: JOB, secret: "" })).secretRef).toBe("");
    const first = (await client.getSigningSecret({ tenantId: "initech" })).secret;
    expect(first).toMatch(/^whsec_/);
    expect((await client.getSigningSecret({ tenantId: "initech" })).secret).toBe(first);
    expect((await client.getSigningSecret({ tenantId: "acme" })).secret).not.toBe(first);
  });

  it("answers bad arguments and unknown deliveries with the Quire code, and a dead notifier as UNAVAILABLE", async () => {
    expect(await codeOf(client.listWebhookEndpoints({ tenantId: "acme.>" }))).toBe("INVALID_ARGUMENT");
    expect(await codeOf(client.prepareJobWebhook({ tenantId: "acme", jobId: "job_x", secret: "" }))).toBe("INVALID_ARGUMENT");
    expect(await codeOf(client.listWebhookDeliveries({ tenantId: "acme", limit: 500 }))).toBe("INVALID_ARGUMENT");
    expect(await codeOf(client.retryWebhookDelivery({ tenantId: "acme", deliveryId: `dlv_${"0".repeat(32)}` }))).toBe("NOT_FOUND");
    expect((await client.listWebhookDeliveries({ tenantId: "acme" })).deliveries).toEqual([]);
    const dead = createGrpcClient(WebhooksService, "127.0.0.1:1", {
      timeoutMs: 1_000,
      mapError: (err) => fromGrpcError(err, "the notifier"),
    });
    const err = await dead.getSigningSecret({ tenantId: "acme" }).catch((e: Error & { code: string }) => e);
    dead.close();
    expect(err).toMatchObject({ code: "UNAVAILABLE", message: "the notifier is not reachable; retry shortly" });
  });
});
