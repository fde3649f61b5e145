import { createHash } from "node:crypto";
import { EventType, type JobEvent, type WebhookEndpoint } from "@quire/contracts";

/** Webhook event types (Standard Webhooks style: dot-separated). */
export const WEBHOOK_EVENT_TYPES = ["job.completed", "job.failed", "job.canceled", "job.progress"] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** What a target gets when it names no events: the end of the job, never the chatty progress. */
export const DEFAULT_EVENTS: readonly WebhookEventType[] = ["job.completed", "job.failed", "job.canceled"];

const BY_EVENT: Partial<Record<EventType, WebhookEventType>> = {
  [EventType.COMPLETED]: "job.completed",
  [EventType.FAILED]: "job.failed",
  [EventType.CANCELED]: "job.canceled",
  [EventType.PROGRESS]: "job.progress",
};

/** The webhook type of a job event, or undefined for events nobody is notified of. */
export const webhookTypeOf = (t: EventType): WebhookEventType | undefined => BY_EVENT[t];

/** One receiver of one event. */
export interface Target {
  /** Empty for the job's own webhook_url. */
  endpointId: string;
  url: string;
  /** The request's secret, sealed (job target); registered endpoints' secrets are read at send time. */
  requestSecret: string;
  /** Fairness key: attempts in flight are bounded per lane. */
  lane: string;
  /** WebhookTarget.style: "" Quire's body and Standard Webhooks signature, or a vendor's ("extend", "reducto"). */
  style: string;
}

const wants = (events: readonly string[], type: WebhookEventType): boolean => (events.length > 0 ? events : DEFAULT_EVENTS).includes(type);

/**
 * Who receives `type` for this job: the job's own webhook_url (from its `accepted` event) and
 * every enabled endpoint of the job's tenant whose filter names the type. Endpoints of other
 * tenants are never considered, whatever the caller passes.
 */
export function selectTargets(
  type: WebhookEventType,
  event: JobEvent,
  accepted: JobEvent | null,
  endpoints: readonly WebhookEndpoint[],
  sealedRequestSecret = "",
): Target[] {
  const targets: Target[] = [];
  const own = ownTarget(type, event, accepted);
  if (own) targets.push({ endpointId: "", url: own.url, requestSecret: sealedRequestSecret, lane: laneOfUrl(own.url), style: own.style });
  for (const ep of endpoints) {
    if (ep.tenantId !== event.tenantId || ep.disabled || !wants(ep.events, type)) continue;
    targets.push({ endpointId: ep.endpointId, url: ep.url, requestSecret: "", lane: ep.endpointId, style: "" });
  }
  return targets;
}

/** The job's own webhook, when it receives `type` (so its secret need only be read then). */
export function ownTarget(type: WebhookEventType, event: JobEvent, accepted: JobEvent | null): JobEvent["webhook"] {
  const own = accepted?.tenantId === event.tenantId ? accepted.webhook : undefined;
  return own?.url && wants(own.events, type) ? own : undefined;
}

/** Per-request targets share a lane per host, so one slow host cannot take every slot. */
function laneOfUrl(url: string): string {
  try {
    return `host:${new URL(url).host}`;
  } catch {
    return "host:invalid";
  }
}

/**
 * The webhook-id: stable for one job event (every target, every attempt, every replay), built
 * from the event's own id so a redelivered event maps to the same message. Only [A-Za-z0-9_-]:
 * the spec's signed content is "id.timestamp.body", so an id must never contain a dot.
 */
export const messageIdOf = (event: JobEvent): string => `msg_${event.eventId.replace(/[^A-Za-z0-9_-]/g, "_")}`;

/** Deterministic, so processing the same event twice finds the delivery it already made. */
export function deliveryIdOf(tenant: string, target: Target, messageId: string): string {
  const digest = createHash("sha256")
    .update(`${tenant}\n${target.endpointId || target.url}\n${messageId}`)
    .digest("hex");
  return `dlv_${digest.slice(0, 32)}`;
}
