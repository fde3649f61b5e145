import {
  EventType,
  JobKind,
  extendWebhookBody,
  isVendorStyle,
  jobKindName,
  readCompat,
  reductoWebhookBody,
  type CompatJob,
  type JobEvent,
} from "@quire/contracts";
import type { WebhookEventType } from "./targets.js";

/** How the completed result reaches the receiver: inline (small), or a URL to GET it with an API key. */
export type ResultPart = { result: unknown } | { result_url: string };

export interface WebhookBody {
  type: WebhookEventType;
  /** When the event happened (ISO 8601); webhook-timestamp is when this attempt was sent. */
  timestamp: string;
  data: {
    job_id: string;
    kind: string;
    status: "processing" | "completed" | "failed" | "canceled";
    metadata: Record<string, unknown>;
    result?: unknown;
    result_url?: string;
    progress?: { pct: number; message: string; stage: string };
    error: { code: string; message: string } | null;
  };
}

const STATUS: Record<WebhookEventType, WebhookBody["data"]["status"]> = {
  "job.completed": "completed",
  "job.failed": "failed",
  "job.canceled": "canceled",
  "job.progress": "processing",
};

/**
 * The JSON body of one webhook message. It is serialized once, stored with the delivery and sent
 * byte for byte on every attempt: the signature covers the exact bytes, so they must never be
 * re-serialized.
 */
export function buildBody(type: WebhookEventType, event: JobEvent, accepted: JobEvent | null, result: ResultPart | null): string {
  const kind = event.kind !== JobKind.UNSPECIFIED ? event.kind : (accepted?.kind ?? JobKind.UNSPECIFIED);
  const body: WebhookBody = {
    type,
    timestamp: new Date(event.timeUnixMs || Date.now()).toISOString(),
    data: {
      job_id: event.jobId,
      kind: jobKindName(kind),
      status: STATUS[type],
      metadata: parseMetadata(accepted?.metadataJson ?? ""),
      ...(type === "job.completed" && result ? result : {}),
      ...(type === "job.progress" && event.progress
        ? { progress: { pct: event.progress.pct, message: event.progress.message, stage: event.progress.stage } }
        : {}),
      error: errorOf(event),
    },
  };
  return JSON.stringify(body);
}

/**
 * The body of a vendor-style target (WebhookTarget.style), for a job's end only (the vendor
 * routes ask for no progress): Extend's `{eventId, eventType, payload}` with the run, or
 * Reducto's direct-mode `{status, job_id, metadata}`. Undefined for a style or event it does
 * not know, which then gets Quire's own body. Serialized once, like buildBody.
 */
export function vendorBody(
  style: string,
  type: WebhookEventType,
  event: JobEvent,
  accepted: JobEvent | null,
  result: unknown,
): string | undefined {
  if (!isVendorStyle(style) || type === "job.progress") return undefined;
  const kind = event.kind !== JobKind.UNSPECIFIED ? event.kind : (accepted?.kind ?? JobKind.UNSPECIFIED);
  const metadata = parseMetadata(accepted?.metadataJson ?? "");
  const job: CompatJob = {
    job_id: event.jobId,
    kind: jobKindName(kind),
    status: STATUS[type] as CompatJob["status"],
    created_at: new Date(accepted?.timeUnixMs || event.timeUnixMs || Date.now()).toISOString(),
    updated_at: new Date(event.timeUnixMs || Date.now()).toISOString(),
    metadata,
    error: errorOf(event) ?? undefined,
  };
  const info = readCompat(metadata);
  return style === "extend"
    ? extendWebhookBody(`evt_${event.jobId.replace(/^job_/, "")}`, job, type === "job.completed" ? result : null, info)
    : reductoWebhookBody(job, info);
}

/**
 * Inline when the stored result is at most `inlineBytes` of JSON, else the job's URL. Payloads
 * should stay small (the spec suggests under ~20 kB); the full result is one GET away.
 */
export function resultPart(jobId: string, stored: Uint8Array | null, inlineBytes: number, publicUrl: string): ResultPart {
  if (stored && stored.byteLength <= inlineBytes) {
    try {
      return { result: JSON.parse(Buffer.from(stored).toString("utf8")) as unknown };
    } catch {
      // An unreadable artifact is not the receiver's problem: fall through to the URL.
    }
  }
  return { result_url: `${publicUrl}/v1/jobs/${jobId}` };
}

function errorOf(event: JobEvent): WebhookBody["data"]["error"] {
  if (event.type === EventType.FAILED) return { code: event.error?.code || "INTERNAL", message: event.error?.message || "the job failed" };
  if (event.type === EventType.CANCELED)
    return { code: event.error?.code || "CANCELED", message: event.error?.message || "canceled by request" };
  return null;
}

function parseMetadata(json: string): Record<string, unknown> {
  if (!json) return {};
  try {
    const v = JSON.parse(json) as unknown;
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
