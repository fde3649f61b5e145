import { randomUUID } from "node:crypto";
import { Hono } from "hono";
import { z } from "zod";
import { create, fromBinary, toBinary, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import {
  WebhookDeliverySchema, WebhookDeliveryStatus, WebhookDueSchema, WebhookEndpointSchema, WebhookSecretSchema,
  type WebhookDelivery, type WebhookEndpoint, type WebhookSecret,
} from "@quire/contracts";
import {
  ErrorCode, QuireError, WEBHOOK_DELIVERIES_BUCKET, WEBHOOK_DUE_BUCKET, WEBHOOK_ENDPOINTS_BUCKET,
  checkTargetUrl, endpointSecretContext, parseConfig, positiveInt, seal, webhookEndpointKey,
  type Keyring, type NatsConnection, type TargetPolicy,
} from "@quire/runtime";
import { Kvm, type KV } from "@nats-io/kv";
import { newSecret, type TenantSecrets } from "./signing-secret.js";
import { readBody, validate } from "./request-body.js";
import { DeliveriesQuery, WebhookCreate } from "./schemas.js";

/** Registrations, the delivery log and the due attempts: the notifier's KV buckets. */
export interface WebhookBuckets {
  endpoints: KV;
  deliveries: KV;
  due: KV;
}

export interface WebhookRoutesDeps {
  buckets: WebhookBuckets;
  /** The same policy as file_url (QUIRE_ALLOW_PRIVATE_TARGETS). */
  targets: TargetPolicy;
  /** How long a rotated-out secret keeps signing. */
  rotationOverlapMs: number;
  /** Seals endpoint secrets before they are stored (QUIRE_SECRETS_KEY); each is shown once, in the answer. */
  keyring: Keyring;
  /** The tenants' signing secrets (GET /v1/webhooks/signing-secret). */
  tenantSecrets: TenantSecrets;
}

/** Webhook settings read by the gateway (they belong in config.ts once that file is free to change). */
export const WebhookRoutesEnv = z.object({
  /** After POST /v1/webhooks/{id}/rotate, the old secret also signs for this long. @default 24 h */
  QUIRE_WEBHOOK_ROTATION_OVERLAP_MS: positiveInt("QUIRE_WEBHOOK_ROTATION_OVERLAP_MS").default(24 * 3_600_000),
});
export const loadWebhookRoutesConfig = (env: Record<string, string | undefined>) =>
  ({ rotationOverlapMs: parseConfig(WebhookRoutesEnv, env).QUIRE_WEBHOOK_ROTATION_OVERLAP_MS });

export async function openWebhookBuckets(nc: NatsConnection): Promise<WebhookBuckets> {
  const kvm = new Kvm(nc);
  return {
    endpoints: await kvm.open(WEBHOOK_ENDPOINTS_BUCKET),
    deliveries: await kvm.open(WEBHOOK_DELIVERIES_BUCKET),
    due: await kvm.open(WEBHOOK_DUE_BUCKET),
  };
}

const MAX_ENDPOINTS_PER_TENANT = 50;
/** Listing reads at most this many log keys (headers only); narrow with job_id / endpoint_id beyond it. */
const MAX_SCANNED_DELIVERIES = 10_000;
const ENDPOINT_ID = /^ep_[0-9a-f]{32}$/;
const DELIVERY_ID = /^dlv_[0-9a-f]{32}$/;

type Env = { Variables: { tenant: string } };

/**
 * /v1/webhooks: endpoint registration, secret rotation, the delivery log and replays. Every key
 * starts with the caller's tenant and every id is checked against a strict pattern before it
 * goes into a key filter, so another tenant's endpoint or delivery is simply not found (404).
 */
export function createWebhookRoutes(deps: WebhookRoutesDeps): Hono<Env> {
  const app = new Hono<Env>();
  const { endpoints, deliveries, due } = deps.buckets;

  app.post("/", async (c) => {
    const tenant = c.get("tenant");
    const req = validate(WebhookCreate, (await readBody(c)).fields);
    checkTargetUrl(req.url, deps.targets);
    if ((await collect(await endpoints.keys(`${tenant}.*`), MAX_ENDPOINTS_PER_TENANT)).length >= MAX_ENDPOINTS_PER_TENANT)
      throw new QuireError(ErrorCode.Conflict, `a tenant can register at most ${MAX_ENDPOINTS_PER_TENANT} webhook endpoints`);
    const now = Date.now();
    const secret = newSecret();
    const endpointId = `ep_${randomUUID().replaceAll("-", "")}`;
    const ep = create(WebhookEndpointSchema, {
      endpointId, tenantId: tenant, url: req.url, events: req.events, description: req.description,
      secrets: [{ secret: seal(deps.keyring, secret, endpointSecretContext(tenant, endpointId)), createdUnixMs: now }], createdUnixMs: now,
    });
    await endpoints.create(webhookEndpointKey(tenant, ep.endpointId), toBinary(WebhookEndpointSchema, ep));
    return c.json({ ...endpointView(ep, now), secret }, 201);
  });

  app.get("/", async (c) => {
    const tenant = c.get("tenant");
    const keys = await collect(await endpoints.keys(`${tenant}.*`), MAX_ENDPOINTS_PER_TENANT * 2);
    const found = await Promise.all(keys.map((k) => getProto(endpoints, k, WebhookEndpointSchema)));
    const list = found.flatMap((f) => (f ? [f.value] : [])).sort((a, b) => a.createdUnixMs - b.createdUnixMs);
    return c.json({ webhooks: list.map((ep) => endpointView(ep, Date.now())) });
  });

  // The tenant's signing secret: what signs job webhooks that name no webhook_secret.
  app.get("/signing-secret", async (c) => {
    const secret = await deps.tenantSecrets.secretOf(c.get("tenant"));
    return c.json({ secret, signs: "job webhooks whose request named no webhook_secret" });
  });

  app.get("/deliveries", async (c) => {
    const tenant = c.get("tenant");
    const q = validate(DeliveriesQuery, c.req.query());
    const filter = `${tenant}.${q.endpoint_id ?? "*"}.${q.job_id ?? "*"}.*`;
    // Keys come in the order they were last written, so the tail is the most recently active.
    const keys = (await collect(await deliveries.keys(filter), MAX_SCANNED_DELIVERIES)).slice(-q.limit);
    const found = await Promise.all(keys.map((k) => getProto(deliveries, k, WebhookDeliverySchema)));
    const list = found.flatMap((f) => (f ? [f.value] : [])).sort((a, b) => b.createdUnixMs - a.createdUnixMs);
    return c.json({ deliveries: list.slice(0, q.limit).map(deliveryView) });
  });

  app.post("/deliveries/:id/retry", async (c) => {
    const tenant = c.get("tenant");
    const id = c.req.param("id");
    const key = DELIVERY_ID.test(id) ? (await collect(await deliveries.keys(`${tenant}.*.*.${id}`), 1))[0] : undefined;
    const found = key ? await getProto(deliveries, key, WebhookDeliverySchema) : null;
    if (!key || !found) throw new QuireError(ErrorCode.NotFound, `delivery ${id.slice(0, 80)} not found`);
    if (found.value.endpointId) await requireEnabled(tenant, found.value.endpointId);
    const dueAt = await replay(key, found.value);
    return c.json({ delivery_id: id, status: "pending", next_attempt_at: new Date(dueAt).toISOString() }, 202);
  });

  app.get("/:id", async (c) => {
    const ep = await endpointOr404(c.get("tenant"), c.req.param("id"));
    return c.json(endpointView(ep.value, Date.now()));
  });

  app.delete("/:id", async (c) => {
    const tenant = c.get("tenant");
    const ep = await endpointOr404(tenant, c.req.param("id"));
    // Pending deliveries to it end at their next attempt, logged as "the endpoint was deleted".
    await endpoints.delete(webhookEndpointKey(tenant, ep.value.endpointId));
    return c.json({ endpoint_id: ep.value.endpointId, deleted: true });
  });

  app.post("/:id/rotate", async (c) => {
    const tenant = c.get("tenant");
    const secret = newSecret();
    const expires = Date.now() + deps.rotationOverlapMs;
    // Compare-and-set, re-read on conflict: the notifier may be updating the endpoint's health.
    for (let tries = 0; tries < 5; tries++) {
      const ep = await endpointOr404(tenant, c.req.param("id"));
      const sealed = seal(deps.keyring, secret, endpointSecretContext(tenant, ep.value.endpointId));
      const next = { ...ep.value, secrets: rotated(ep.value.secrets, sealed, expires) };
      const ok = await endpoints.update(webhookEndpointKey(tenant, next.endpointId), toBinary(WebhookEndpointSchema, next), ep.revision)
        .then(() => true, () => false);
      if (ok) return c.json({ endpoint_id: next.endpointId, secret, previous_secret_expires_at: new Date(expires).toISOString() });
    }
    throw new QuireError(ErrorCode.Conflict, "the endpoint kept changing while rotating; retry");
  });

  async function endpointOr404(tenant: string, id: string) {
    const ep = ENDPOINT_ID.test(id) ? await getProto(endpoints, webhookEndpointKey(tenant, id), WebhookEndpointSchema) : null;
    if (!ep) throw new QuireError(ErrorCode.NotFound, `webhook endpoint ${id.slice(0, 80)} not found`);
    return ep;
  }

  async function requireEnabled(tenant: string, endpointId: string): Promise<void> {
    const ep = await getProto(endpoints, webhookEndpointKey(tenant, endpointId), WebhookEndpointSchema);
    if (!ep) throw new QuireError(ErrorCode.Conflict, "the endpoint of this delivery was deleted");
    if (ep.value.disabled) throw new QuireError(ErrorCode.Conflict, `the endpoint is disabled (${ep.value.disabledReason}); register it again`);
  }

  /**
   * Schedules the delivery's next attempt now. A delivery still waiting for an automatic retry
   * has it brought forward; a finished one gets one manual attempt with the next number (never
   * a number already sent). Compare-and-set makes a concurrent replay a 409, not a double send.
   */
  async function replay(key: string, d: WebhookDelivery): Promise<number> {
    const now = Date.now();
    const pending = await getProto(due, d.deliveryId, WebhookDueSchema);
    try {
      if (pending?.value.sending) throw new Error("in flight");
      if (pending) await due.update(d.deliveryId, toBinary(WebhookDueSchema, { ...pending.value, dueUnixMs: now }), pending.revision);
      else {
        const lane = d.endpointId || `host:${new URL(d.url).host}`;
        const next = create(WebhookDueSchema, { deliveryKey: key, attempt: d.attempts.length + 1, dueUnixMs: now, manual: true, lane });
        await due.create(d.deliveryId, toBinary(WebhookDueSchema, next));
      }
    } catch {
      throw new QuireError(ErrorCode.Conflict, "an attempt of this delivery is in flight right now; retry in a moment");
    }
    return now;
  }

  return app;
}

/** The new secret first; the current one keeps signing until `expires`; ones past their overlap go. */
function rotated(secrets: readonly WebhookSecret[], secret: string, expires: number): WebhookSecret[] {
  const now = Date.now();
  const kept = secrets.map((s) => (s.expiresUnixMs === 0 ? { ...s, expiresUnixMs: expires } : s)).filter((s) => s.expiresUnixMs > now);
  return [create(WebhookSecretSchema, { secret, createdUnixMs: now }), ...kept];
}

/** `whsec_` + base64 of 32 random bytes: the Standard Webhooks format (24–64 bytes). */

async function getProto<D extends DescMessage>(kv: KV, key: string, schema: D) {
  const e = await kv.get(key);
  if (!e || e.operation !== "PUT" || e.value.length === 0) return null;
  return { value: fromBinary(schema, e.value) as MessageShape<D>, revision: e.revision };
}

async function collect(iter: AsyncIterable<string>, max: number): Promise<string[]> {
  const out: string[] = [];
  for await (const k of iter) {
    out.push(k);
    if (out.length >= max) break;
  }
  return out;
}

const iso = (ms: number): string | null => (ms ? new Date(ms).toISOString() : null);

function endpointView(ep: WebhookEndpoint, now: number) {
  const previous = ep.secrets.filter((s) => s.expiresUnixMs > now).map((s) => s.expiresUnixMs);
  return {
    endpoint_id: ep.endpointId, url: ep.url, events: ep.events, description: ep.description,
    created_at: iso(ep.createdUnixMs), disabled: ep.disabled, disabled_reason: ep.disabledReason || null,
    disabled_at: iso(ep.disabledUnixMs), failing_since: iso(ep.failingSinceUnixMs),
    previous_secret_expires_at: previous.length ? iso(Math.max(...previous)) : null,
  };
}

const STATUS_NAMES: Record<WebhookDeliveryStatus, string> = {
  [WebhookDeliveryStatus.UNSPECIFIED]: "pending",
  [WebhookDeliveryStatus.PENDING]: "pending",
  [WebhookDeliveryStatus.SUCCEEDED]: "succeeded",
  [WebhookDeliveryStatus.FAILED]: "failed",
};

/** The log as the API shows it; the per-request secret and the payload stay inside. */
function deliveryView(d: WebhookDelivery) {
  return {
    delivery_id: d.deliveryId, job_id: d.jobId, endpoint_id: d.endpointId || null, url: d.url, event_type: d.eventType,
    message_id: d.messageId, status: STATUS_NAMES[d.status], created_at: iso(d.createdUnixMs),
    next_attempt_at: iso(d.nextAttemptUnixMs),
    attempts: d.attempts.map((a) => ({
      attempt: a.attempt, time: iso(a.timeUnixMs), status_code: a.statusCode || null, latency_ms: a.latencyMs,
      error: a.error || null, manual: a.manual,
    })),
  };
}
