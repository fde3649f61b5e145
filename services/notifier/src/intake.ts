import { create, fromBinary } from "@bufbuild/protobuf";
import {
  EventType,
  JobEventSchema,
  WebhookDeliverySchema,
  WebhookDeliveryStatus,
  WebhookDueSchema,
  type JobEvent,
  type WebhookEndpoint,
} from "@quire/contracts";
import {
  EVENTS_STREAM,
  NOTIFIER_CONSUMER,
  activeTraceparent,
  inTraceOf,
  jobSecretContext,
  seal,
  superviseConsumer,
  type Keyring,
  type Blobs,
  type Logger,
  type NatsConnection,
  type SupervisedConsumer,
} from "@quire/runtime";
import { jetstream, type JsMsg } from "@nats-io/jetstream";
import type { WebhookSettings } from "./config.js";
import type { KvMirror } from "./kv-mirror.js";
import { buildBody, resultPart, vendorBody } from "./payload.js";
import { deliveryKey, putAccepted, readAccepted, scheduleDelivery, type NotifierStore } from "./store.js";
import type { TenantSecrets } from "./tenant-secrets.js";
import { deliveryIdOf, messageIdOf, ownTarget, selectTargets, webhookTypeOf, type Target, type WebhookEventType } from "./targets.js";

export interface IntakeDeps {
  nc: NatsConnection;
  store: NotifierStore;
  endpoints: KvMirror<WebhookEndpoint>;
  blobs: Blobs;
  settings: WebhookSettings;
  /** Seals a secret found in an older `accepted` (QUIRE_SECRETS_KEY). */
  keyring: Keyring;
  tenantSecrets: TenantSecrets;
  logger: Logger;
}

/** A terminal event whose `accepted` we have not stored yet is retried this often, then sent without it. */
const MISSING_ACCEPTED_RETRIES = 3;
const MISSING_ACCEPTED_DELAY_MS = 1_000;

/**
 * Reads QUIRE_EVENTS through the durable "notifier" consumer and turns each notifiable event
 * into delivery records plus a first due attempt, then acks it. No HTTP happens here, and no
 * event is held with a delayed nak while a receiver is down (delayed naks keep MaxAckPending
 * slots, so one dead endpoint could stall every tenant): retries live in the due bucket.
 */
export function createIntake(deps: IntakeDeps): { start(): Promise<void>; stop(): Promise<void> } {
  const log = deps.logger.child({ component: "intake" });
  let consumer: SupervisedConsumer | undefined;

  async function handle(m: JsMsg): Promise<void> {
    let event: JobEvent;
    try {
      event = fromBinary(JobEventSchema, m.data);
    } catch (err) {
      log.error({ err, seq: m.seq }, "undecodable job event; skipped");
      m.term();
      return;
    }
    try {
      // In the event's trace: its log lines carry the trace id, and its deliveries keep it.
      const settled = await inTraceOf(m.headers, () => onEvent(event, m.info.deliveryCount));
      if (settled) await m.ackAck();
      else m.nak(MISSING_ACCEPTED_DELAY_MS);
    } catch (err) {
      // Only our own storage can fail here (KV unavailable); a short nak keeps the event.
      log.warn({ err, jobId: event.jobId, seq: m.seq }, "could not record deliveries; will retry");
      m.nak(1_000);
    }
  }

  /** True when the event is fully handled; false to see it again shortly. */
  async function onEvent(event: JobEvent, deliveryCount: number): Promise<boolean> {
    if (event.type === EventType.ACCEPTED) {
      await putAccepted(deps.store, await withSealedSecret(event));
      return true;
    }
    const type = webhookTypeOf(event.type);
    if (!type || !event.jobId || !event.tenantId) return true;
    const accepted = await readAccepted(deps.store, event.jobId);
    // Events of one job are in stream order, but a nak'd `accepted` comes back after its successors.
    if (!accepted && deliveryCount < MISSING_ACCEPTED_RETRIES) return false;
    const endpoints = [...deps.endpoints.values()].map(([, v]) => v.value);
    // The job's own secret is read (and the tenant's re-sealed) only for an event it receives:
    // most progress events go to no one.
    const secret = accepted && ownTarget(type, event, accepted) ? await sealedSecretOf(accepted) : "";
    const targets = selectTargets(type, event, accepted, endpoints, secret);
    if (targets.length > 0) await record(type, event, accepted, targets);
    return true;
  }

  /**
   * An `accepted` recorded by an older gateway may still carry the secret itself: seal it into
   * the secrets bucket now, so the notifier's copy holds only the reference.
   */
  async function withSealedSecret(event: JobEvent): Promise<JobEvent> {
    const w = event.webhook;
    if (!w?.legacySecret) return event;
    await deps.store.secrets.put(event.jobId, seal(deps.keyring, w.legacySecret, jobSecretContext(event.jobId)));
    return { ...event, webhook: { ...w, legacySecret: "", secretRef: event.jobId } };
  }

  /**
   * What signs the job's own webhook, sealed for the job: the request's secret, or, when it
   * named none, the tenant's signing secret (so no delivery goes out unsigned). "" only when
   * neither is stored (expired, or a tenant whose secret was never made).
   */
  async function sealedSecretOf(accepted: JobEvent): Promise<string> {
    const ref = accepted.webhook?.secretRef;
    if (ref) {
      const entry = await deps.store.secrets.get(ref);
      return entry && entry.operation === "PUT" ? entry.string() : "";
    }
    const secret = await deps.tenantSecrets.existing(accepted.tenantId);
    return secret ? seal(deps.keyring, secret, jobSecretContext(accepted.jobId)) : "";
  }

  async function record(type: WebhookEventType, event: JobEvent, accepted: JobEvent | null, targets: Target[]): Promise<void> {
    const body = buildBody(type, event, accepted, type === "job.completed" ? await loadResult(event) : null);
    // A vendor-style target (gateway compat routes) gets that vendor's body, built from the whole result.
    const bodyOf = async (style: string) =>
      style ? (vendorBody(style, type, event, accepted, type === "job.completed" ? await loadFullResult(event) : null) ?? body) : body;
    const messageId = messageIdOf(event);
    const now = Date.now();
    const dueAt = now + (deps.settings.retryScheduleMs[0] ?? 0);
    const traceparent = activeTraceparent();
    for (const t of targets) {
      const deliveryId = deliveryIdOf(event.tenantId, t, messageId);
      const key = deliveryKey(event.tenantId, t.endpointId, event.jobId, deliveryId);
      const delivery = create(WebhookDeliverySchema, {
        deliveryId,
        tenantId: event.tenantId,
        jobId: event.jobId,
        endpointId: t.endpointId,
        url: t.url,
        eventType: type,
        messageId,
        payload: await bodyOf(t.style),
        status: WebhookDeliveryStatus.PENDING,
        createdUnixMs: now,
        nextAttemptUnixMs: dueAt,
        requestSecret: t.requestSecret,
        traceparent,
        style: t.style,
      });
      const due = create(WebhookDueSchema, { deliveryKey: key, attempt: 1, dueUnixMs: dueAt, lane: t.lane });
      const fresh = await scheduleDelivery(deps.store, key, delivery, due);
      if (fresh) log.info({ jobId: event.jobId, deliveryId, endpointId: t.endpointId || null, type }, "delivery scheduled");
    }
  }

  async function loadResult(event: JobEvent) {
    const { inlineResultBytes, publicUrl } = deps.settings;
    const stored = event.resultRef ? await deps.blobs.get(deps.blobs.results, event.resultRef).catch(() => null) : null;
    return resultPart(event.jobId, stored, inlineResultBytes, publicUrl);
  }

  async function loadFullResult(event: JobEvent): Promise<unknown> {
    const stored = event.resultRef ? await deps.blobs.get(deps.blobs.results, event.resultRef).catch(() => null) : null;
    try {
      return stored ? (JSON.parse(Buffer.from(stored).toString("utf8")) as unknown) : null;
    } catch {
      return null;
    }
  }

  return {
    async start() {
      const js = jetstream(deps.nc);
      consumer = await superviseConsumer({
        name: NOTIFIER_CONSUMER,
        logger: log,
        handle,
        open: async () => (await js.consumers.get(EVENTS_STREAM, NOTIFIER_CONSUMER)).consume({ max_messages: 64 }),
      });
      log.info("consuming job events");
    },
    async stop() {
      await consumer?.stop();
    },
  };
}
