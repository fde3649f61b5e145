import { randomUUID } from "node:crypto";
import { create, toBinary } from "@bufbuild/protobuf";
import {
  WebhookDeliveryViewSchema,
  WebhookDueSchema,
  WebhookEndpointSchema,
  WebhookEndpointViewSchema,
  WebhookSecretSchema,
  type WebhookDelivery,
  type WebhookDeliveryView,
  type WebhookEndpoint,
  type WebhookEndpointView,
  type WebhookSecret,
} from "@quire/contracts";
import { ErrorCode, QuireError, endpointSecretContext, jobSecretContext, seal, type Keyring } from "@quire/runtime";
import { endpointKey, getProto, readDelivery, readEndpoint, updateEndpoint, type NotifierStore } from "./store.js";
import { newSecret, type TenantSecrets } from "./tenant-secrets.js";

export interface RegistryDeps {
  store: NotifierStore;
  /** Seals every secret before it is stored (QUIRE_SECRETS_KEY); a new one is shown once, in the answer. */
  keyring: Keyring;
  tenantSecrets: TenantSecrets;
  /** How long a rotated-out secret keeps signing. */
  rotationOverlapMs: number;
}

export const MAX_ENDPOINTS_PER_TENANT = 50;
/** Listing reads at most this many log keys (headers only); narrow with job_id / endpoint_id beyond it. */
const MAX_SCANNED_DELIVERIES = 10_000;
const DEFAULT_DELIVERY_LIMIT = 50;
const ENDPOINT_ID = /^ep_[0-9a-f]{32}$/;
const DELIVERY_ID = /^dlv_[0-9a-f]{32}$/;
const JOB_ID = /^job_[0-9a-f]{32}$/;
/** A tenant id goes into key filters: one NATS token, no wildcard. */
const TENANT = /^[A-Za-z0-9_-]{1,128}$/;

export type Registry = ReturnType<typeof createRegistry>;

/**
 * The webhook registry: endpoints, their secrets and rotation, the delivery log and replays, and
 * the secrets job webhooks are signed with. Every key starts with the caller's tenant and every
 * id is checked against a strict pattern before it goes into a key filter, so another tenant's
 * endpoint or delivery is simply not found.
 */
export function createRegistry(deps: RegistryDeps) {
  const { store, keyring } = deps;

  async function endpointOr404(tenant: string, id: string) {
    const ep = ENDPOINT_ID.test(id) ? await readEndpoint(store, checkedTenant(tenant), id) : null;
    if (!ep) throw new QuireError(ErrorCode.NotFound, `webhook endpoint ${id.slice(0, 80)} not found`);
    return ep;
  }

  return {
    async createEndpoint(tenant: string, url: string, events: string[], description: string) {
      checkedTenant(tenant);
      if ((await collect(await store.endpoints.keys(`${tenant}.*`), MAX_ENDPOINTS_PER_TENANT)).length >= MAX_ENDPOINTS_PER_TENANT)
        throw new QuireError(ErrorCode.Conflict, `a tenant can register at most ${MAX_ENDPOINTS_PER_TENANT} webhook endpoints`);
      const now = Date.now();
      const secret = newSecret();
      const endpointId = `ep_${randomUUID().replaceAll("-", "")}`;
      const ep = create(WebhookEndpointSchema, {
        endpointId,
        tenantId: tenant,
        url,
        events,
        description,
        createdUnixMs: now,
        secrets: [{ secret: seal(keyring, secret, endpointSecretContext(tenant, endpointId)), createdUnixMs: now }],
      });
      await store.endpoints.create(endpointKey(tenant, endpointId), toBinary(WebhookEndpointSchema, ep));
      return { endpoint: endpointView(ep, now), secret };
    },

    async listEndpoints(tenant: string): Promise<WebhookEndpointView[]> {
      const keys = await collect(await store.endpoints.keys(`${checkedTenant(tenant)}.*`), MAX_ENDPOINTS_PER_TENANT * 2);
      const found = await Promise.all(keys.map((k) => getProto(store.endpoints, k, WebhookEndpointSchema)));
      const list = found.flatMap((f) => (f ? [f.value] : [])).sort((a, b) => a.createdUnixMs - b.createdUnixMs);
      return list.map((ep) => endpointView(ep, Date.now()));
    },

    async getEndpoint(tenant: string, id: string): Promise<WebhookEndpointView> {
      return endpointView((await endpointOr404(tenant, id)).value, Date.now());
    },

    /** Pending deliveries to it end at their next attempt, logged as "the endpoint was deleted". */
    async deleteEndpoint(tenant: string, id: string): Promise<string> {
      const ep = await endpointOr404(tenant, id);
      await store.endpoints.delete(endpointKey(tenant, ep.value.endpointId));
      return ep.value.endpointId;
    },

    /** Compare-and-set (the dispatcher may be updating the endpoint's health meanwhile). */
    async rotateSecret(tenant: string, id: string) {
      const ep = await endpointOr404(tenant, id);
      const secret = newSecret();
      const expires = Date.now() + deps.rotationOverlapMs;
      const sealed = seal(keyring, secret, endpointSecretContext(tenant, ep.value.endpointId));
      const next = await updateEndpoint(store, tenant, ep.value.endpointId, (cur) => ({
        ...cur,
        secrets: rotated(cur.secrets, sealed, expires),
      })).catch(() => {
        throw new QuireError(ErrorCode.Conflict, "the endpoint kept changing while rotating; retry");
      });
      if (!next) throw new QuireError(ErrorCode.NotFound, `webhook endpoint ${id.slice(0, 80)} not found`);
      return { endpointId: next.endpointId, secret, previousSecretExpiresUnixMs: expires };
    },

    async listDeliveries(tenant: string, filter: { endpointId?: string; jobId?: string; limit?: number }): Promise<WebhookDeliveryView[]> {
      const limit = filter.limit || DEFAULT_DELIVERY_LIMIT;
      if (limit < 1 || limit > 100) throw new QuireError(ErrorCode.InvalidArgument, "limit must be 1..100");
      if (filter.endpointId && filter.endpointId !== "request" && !ENDPOINT_ID.test(filter.endpointId))
        throw new QuireError(ErrorCode.InvalidArgument, 'endpoint_id must look like ep_<32 hex chars>, or "request"');
      if (filter.jobId && !JOB_ID.test(filter.jobId))
        throw new QuireError(ErrorCode.InvalidArgument, "job_id must look like job_<32 hex chars>");
      const keyFilter = `${checkedTenant(tenant)}.${filter.endpointId || "*"}.${filter.jobId || "*"}.*`;
      // Keys come in the order they were last written, so the tail is the most recently active.
      const keys = (await collect(await store.deliveries.keys(keyFilter), MAX_SCANNED_DELIVERIES)).slice(-limit);
      const found = await Promise.all(keys.map((k) => readDelivery(store, k)));
      const list = found.flatMap((f) => (f ? [f.value] : [])).sort((a, b) => b.createdUnixMs - a.createdUnixMs);
      return list.slice(0, limit).map(deliveryView);
    },

    /**
     * Schedules the delivery's next attempt now. A delivery still waiting for an automatic retry
     * has it brought forward; a finished one gets one manual attempt with the next number (never
     * a number already sent). Compare-and-set makes a concurrent replay a CONFLICT, not a double send.
     */
    async retryDelivery(tenant: string, id: string): Promise<number> {
      const key = DELIVERY_ID.test(id)
        ? (await collect(await store.deliveries.keys(`${checkedTenant(tenant)}.*.*.${id}`), 1))[0]
        : undefined;
      const found = key ? await readDelivery(store, key) : null;
      if (!key || !found) throw new QuireError(ErrorCode.NotFound, `delivery ${id.slice(0, 80)} not found`);
      const d = found.value;
      if (d.endpointId) {
        const ep = await readEndpoint(store, tenant, d.endpointId);
        if (!ep) throw new QuireError(ErrorCode.Conflict, "the endpoint of this delivery was deleted");
        if (ep.value.disabled)
          throw new QuireError(ErrorCode.Conflict, `the endpoint is disabled (${ep.value.disabledReason}); register it again`);
      }
      const now = Date.now();
      const pending = await getProto(store.due, d.deliveryId, WebhookDueSchema);
      try {
        if (pending?.value.sending) throw new Error("in flight");
        if (pending)
          await store.due.update(d.deliveryId, toBinary(WebhookDueSchema, { ...pending.value, dueUnixMs: now }), pending.revision);
        else {
          const lane = d.endpointId || `host:${new URL(d.url).host}`;
          const next = create(WebhookDueSchema, { deliveryKey: key, attempt: d.attempts.length + 1, dueUnixMs: now, manual: true, lane });
          await store.due.create(d.deliveryId, toBinary(WebhookDueSchema, next));
        }
      } catch {
        throw new QuireError(ErrorCode.Conflict, "an attempt of this delivery is in flight right now; retry in a moment");
      }
      return now;
    },

    signingSecret: (tenant: string): Promise<string> => deps.tenantSecrets.secretOf(checkedTenant(tenant)),

    /**
     * Before a job with a webhook_url exists: its own secret sealed under the job id (the
     * reference its `accepted` event carries), or, when it names none, the tenant's signing
     * secret made sure of, so the delivery is signed either way.
     */
    async prepareJobWebhook(tenant: string, jobId: string, secret: string): Promise<string> {
      checkedTenant(tenant);
      if (!JOB_ID.test(jobId)) throw new QuireError(ErrorCode.InvalidArgument, "job_id must look like job_<32 hex chars>");
      if (!secret) {
        await deps.tenantSecrets.ensure(tenant);
        return "";
      }
      await store.secrets.put(jobId, seal(keyring, secret, jobSecretContext(jobId)));
      return jobId;
    },
  };
}

function checkedTenant(tenant: string): string {
  if (!TENANT.test(tenant)) throw new QuireError(ErrorCode.InvalidArgument, "tenant_id is required (letters, digits, _ and -)");
  return tenant;
}

/** The new secret first; the current one keeps signing until `expires`; ones past their overlap go. */
function rotated(secrets: readonly WebhookSecret[], secret: string, expires: number): WebhookSecret[] {
  const now = Date.now();
  const kept = secrets.map((s) => (s.expiresUnixMs === 0 ? { ...s, expiresUnixMs: expires } : s)).filter((s) => s.expiresUnixMs > now);
  return [create(WebhookSecretSchema, { secret, createdUnixMs: now }), ...kept];
}

async function collect(iter: AsyncIterable<string>, max: number): Promise<string[]> {
  const out: string[] = [];
  for await (const k of iter) {
    out.push(k);
    if (out.length >= max) break;
  }
  return out;
}

function endpointView(ep: WebhookEndpoint, now: number): WebhookEndpointView {
  const previous = ep.secrets.filter((s) => s.expiresUnixMs > now).map((s) => s.expiresUnixMs);
  return create(WebhookEndpointViewSchema, {
    endpointId: ep.endpointId,
    url: ep.url,
    events: ep.events,
    description: ep.description,
    createdUnixMs: ep.createdUnixMs,
    disabled: ep.disabled,
    disabledReason: ep.disabledReason,
    disabledUnixMs: ep.disabledUnixMs,
    failingSinceUnixMs: ep.failingSinceUnixMs,
    previousSecretExpiresUnixMs: previous.length ? Math.max(...previous) : 0,
  });
}

/** The log as the API shows it; the per-request secret and the payload stay inside. */
function deliveryView(d: WebhookDelivery): WebhookDeliveryView {
  return create(WebhookDeliveryViewSchema, {
    deliveryId: d.deliveryId,
    jobId: d.jobId,
    endpointId: d.endpointId,
    url: d.url,
    eventType: d.eventType,
    messageId: d.messageId,
    status: d.status,
    createdUnixMs: d.createdUnixMs,
    nextAttemptUnixMs: d.nextAttemptUnixMs,
    attempts: d.attempts,
  });
}
