import { fromBinary, toBinary, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import {
  JobEventSchema,
  WebhookDeliverySchema,
  WebhookDeliveryStatus,
  WebhookDueSchema,
  WebhookEndpointSchema,
  type JobEvent,
  type WebhookDelivery,
  type WebhookDue,
  type WebhookEndpoint,
} from "@quire/contracts";
import type { NatsConnection } from "@quire/runtime";
import { Kvm, type KV } from "@nats-io/kv";
import { StorageType } from "@nats-io/jetstream";

/** key = <tenant>.<endpoint_id>, value = WebhookEndpoint. Kept until deleted. */
const ENDPOINTS_BUCKET = "quire_webhook_endpoints";
/** key = deliveryKey(...), value = WebhookDelivery (the delivery log); kept for the retention period. */
const DELIVERIES_BUCKET = "quire_webhook_deliveries";
/**
 * key = delivery id, value = WebhookDue. Its TTL is not the retention (a retry due in 10 h must
 * outlive a 1 h retention) but a week, longer than any sane gap between two attempts; it only
 * exists so the delete markers of finished deliveries do not pile up for ever.
 */
const DUE_BUCKET = "quire_webhook_due";
const DUE_TTL_MS = 7 * 24 * 3_600_000;
/** key = job id, value = the job's `accepted` JobEvent (metadata, webhook target). */
const JOBS_BUCKET = "quire_webhook_jobs";
/** key = job id, value = the request's webhook_secret sealed with QUIRE_SECRETS_KEY (context `job:<id>`). */
const SECRETS_BUCKET = "quire_webhook_secrets";
/** key = tenant, value = the tenant's signing secret, sealed (context `tenant:<id>`): it signs job webhooks that name no secret. */
const TENANT_SECRETS_BUCKET = "quire_webhook_tenant_secrets";

/** Endpoint segment of a delivery key for the job's own webhook_url. */
export const REQUEST_TARGET = "request";
export const endpointKey = (tenant: string, endpointId: string): string => `${tenant}.${endpointId}`;
/** Tenant first, so a tenant's keys are one wildcard (`acme.>`) and never another tenant's. */
export const deliveryKey = (tenant: string, endpointId: string, jobId: string, deliveryId: string): string =>
  `${tenant}.${endpointId || REQUEST_TARGET}.${jobId}.${deliveryId}`;

/**
 * The notifier's KV buckets: every webhook record lives here and only the notifier reads or
 * writes them (the gateway goes through WebhooksService).
 */
export interface NotifierStore {
  endpoints: KV;
  deliveries: KV;
  due: KV;
  jobs: KV;
  /** Requests' webhook secrets, sealed; key = job id. */
  secrets: KV;
  /** Tenants' signing secrets, sealed; key = tenant. */
  tenantSecrets: KV;
}

export interface Versioned<T> {
  value: T;
  revision: number;
}

/** Creates the buckets when missing (every replica may; creation with the same settings is idempotent) and opens them. */
export async function openNotifierStore(nc: NatsConnection, retentionMs: number): Promise<NotifierStore> {
  const kvm = new Kvm(nc);
  const file = { history: 1, storage: StorageType.File };
  return {
    endpoints: await kvm.create(ENDPOINTS_BUCKET, file),
    deliveries: await kvm.create(DELIVERIES_BUCKET, { ...file, ttl: retentionMs }),
    due: await kvm.create(DUE_BUCKET, { ...file, ttl: DUE_TTL_MS }),
    jobs: await kvm.create(JOBS_BUCKET, { ...file, ttl: retentionMs }),
    secrets: await kvm.create(SECRETS_BUCKET, { ...file, ttl: retentionMs }),
    tenantSecrets: await kvm.create(TENANT_SECRETS_BUCKET, file),
  };
}

/** A live value and its revision (for compare-and-set), or null when absent or deleted. */
export async function getProto<D extends DescMessage>(kv: KV, key: string, schema: D): Promise<Versioned<MessageShape<D>> | null> {
  const entry = await kv.get(key);
  if (!entry || entry.operation !== "PUT" || entry.value.length === 0) return null;
  return { value: fromBinary(schema, entry.value), revision: entry.revision };
}

export const encodeDue = (due: WebhookDue): Uint8Array => toBinary(WebhookDueSchema, due);
export const decodeDue = (bytes: Uint8Array): WebhookDue => fromBinary(WebhookDueSchema, bytes);

export const readDelivery = (s: NotifierStore, key: string) => getProto(s.deliveries, key, WebhookDeliverySchema);
export const updateDelivery = (s: NotifierStore, key: string, d: WebhookDelivery, revision: number) =>
  s.deliveries.update(key, toBinary(WebhookDeliverySchema, d), revision);

/** The job's `accepted` event: its metadata and its own webhook target. */
export async function readAccepted(s: NotifierStore, jobId: string): Promise<JobEvent | null> {
  return (await getProto(s.jobs, jobId, JobEventSchema))?.value ?? null;
}
export const putAccepted = (s: NotifierStore, event: JobEvent) => s.jobs.put(event.jobId, toBinary(JobEventSchema, event));

export const readEndpoint = (s: NotifierStore, tenant: string, endpointId: string) =>
  getProto(s.endpoints, endpointKey(tenant, endpointId), WebhookEndpointSchema);

/**
 * Read-modify-write of an endpoint by compare-and-set: attempts to one endpoint run in
 * parallel, and a rotation may change its secrets meanwhile, so a blind put could undo either.
 */
export async function updateEndpoint(
  s: NotifierStore,
  tenant: string,
  endpointId: string,
  change: (ep: WebhookEndpoint) => WebhookEndpoint | null,
): Promise<WebhookEndpoint | null> {
  for (let tries = 0; tries < 5; tries++) {
    const cur = await readEndpoint(s, tenant, endpointId);
    const next = cur && change(cur.value);
    if (!cur || !next) return null;
    try {
      await s.endpoints.update(endpointKey(tenant, endpointId), toBinary(WebhookEndpointSchema, next), cur.revision);
      return next;
    } catch {
      // Someone wrote in between: read again and re-apply the change.
    }
  }
  throw new Error(`endpoint ${endpointId}: too many concurrent updates`);
}

/**
 * Records a new delivery and its first due attempt. Idempotent, so a redelivered event is
 * harmless: an existing delivery is left alone, and its first attempt is (re)scheduled only if
 * it never ran (a crash between the two writes), never after it ran.
 */
export async function scheduleDelivery(s: NotifierStore, key: string, delivery: WebhookDelivery, due: WebhookDue): Promise<boolean> {
  let fresh = true;
  try {
    await s.deliveries.create(key, toBinary(WebhookDeliverySchema, delivery));
  } catch (err) {
    const existing = await readDelivery(s, key);
    if (!existing) throw err;
    if (existing.value.attempts.length > 0 || existing.value.status !== WebhookDeliveryStatus.PENDING) return false;
    fresh = false;
  }
  try {
    await s.due.create(delivery.deliveryId, encodeDue(due));
  } catch (err) {
    if ((await s.due.get(delivery.deliveryId))?.operation !== "PUT") throw err;
  }
  return fresh;
}
