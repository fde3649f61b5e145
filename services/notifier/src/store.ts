import { fromBinary, toBinary, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import {
  JobEventSchema, WebhookDeliverySchema, WebhookDeliveryStatus, WebhookDueSchema, WebhookEndpointSchema,
  type JobEvent, type WebhookDelivery, type WebhookDue, type WebhookEndpoint,
} from "@quire/contracts";
import {
  WEBHOOK_DELIVERIES_BUCKET, WEBHOOK_DUE_BUCKET, WEBHOOK_ENDPOINTS_BUCKET, WEBHOOK_JOBS_BUCKET, WEBHOOK_SECRETS_BUCKET, WEBHOOK_TENANT_SECRETS_BUCKET,
  webhookEndpointKey, type NatsConnection,
} from "@quire/runtime";
import { Kvm, type KV } from "@nats-io/kv";

/** The notifier's KV buckets (declared in runtime topology.ts). */
export interface NotifierStore {
  endpoints: KV;
  deliveries: KV;
  due: KV;
  jobs: KV;
  /** Requests' webhook secrets, sealed; key = job id. */
  secrets: KV;
  /** Tenants' signing secrets, sealed; key = tenant (made by the gateway). */
  tenantSecrets: KV;
}

export interface Versioned<T> {
  value: T;
  revision: number;
}

export async function openNotifierStore(nc: NatsConnection): Promise<NotifierStore> {
  const kvm = new Kvm(nc);
  return {
    endpoints: await kvm.open(WEBHOOK_ENDPOINTS_BUCKET),
    deliveries: await kvm.open(WEBHOOK_DELIVERIES_BUCKET),
    due: await kvm.open(WEBHOOK_DUE_BUCKET),
    jobs: await kvm.open(WEBHOOK_JOBS_BUCKET),
    secrets: await kvm.open(WEBHOOK_SECRETS_BUCKET),
    tenantSecrets: await kvm.open(WEBHOOK_TENANT_SECRETS_BUCKET),
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
  getProto(s.endpoints, webhookEndpointKey(tenant, endpointId), WebhookEndpointSchema);

/**
 * Read-modify-write of an endpoint by compare-and-set: attempts to one endpoint run in
 * parallel, and the gateway may rotate its secret meanwhile, so a blind put could undo either.
 */
export async function updateEndpoint(
  s: NotifierStore, tenant: string, endpointId: string, change: (ep: WebhookEndpoint) => WebhookEndpoint | null,
): Promise<WebhookEndpoint | null> {
  for (let tries = 0; tries < 5; tries++) {
    const cur = await readEndpoint(s, tenant, endpointId);
    const next = cur && change(cur.value);
    if (!cur || !next) return null;
    try {
      await s.endpoints.update(webhookEndpointKey(tenant, endpointId), toBinary(WebhookEndpointSchema, next), cur.revision);
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
