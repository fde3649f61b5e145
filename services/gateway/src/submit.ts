import { randomUUID } from "node:crypto";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { EventType, JobEventSchema, JobKind, StageJobSchema, type JobEvent } from "@quire/contracts";
import {
  ErrorCode, QuireError, checkTargetUrl, eventSubject, isTerminalEvent, workSubject, type Logger, type Pipeline,
  traceHeaders,
} from "@quire/runtime";
import { jetstream } from "@nats-io/jetstream";
import type { GatewayConfig } from "./config.js";
import type { StoredFile } from "./inputs.js";
import type { ExtractRequest } from "./schemas.js";

export interface Submitted {
  jobId: string;
  /** The terminal event, when the caller waited and the job ended in time. */
  end: JobEvent | null;
}

export interface SubmitDeps {
  pipeline: Pipeline;
  config: GatewayConfig;
  logger: Logger;
  /** Aborted at shutdown: waiting sync calls then answer 202 with their job id. */
  signal: AbortSignal;
}

export const newJobId = (): string => `job_${randomUUID().replaceAll("-", "")}`;

/**
 * Refuses a webhook_url we can already tell is not allowed (bad scheme, credentials, a literal
 * private or metadata address) with a 400 before any work starts. Names are checked again by
 * the notifier after DNS resolution, on every connection, since what they resolve to can change.
 */
export function checkWebhookTarget(req: ExtractRequest, config: GatewayConfig): void {
  if (!req.webhook_url) return;
  try {
    checkTargetUrl(req.webhook_url, config.fetch);
  } catch (err) {
    const e = QuireError.from(err);
    throw new QuireError(e.code, `webhook_url: ${e.message}`, { ...e.details, field: "webhook_url" });
  }
}

/** The request's webhook options as they travel on `accepted` (read by the notifier only). */
function webhookOf(req: ExtractRequest) {
  if (!req.webhook_url) return {};
  return { webhook: { url: req.webhook_url, secret: req.webhook_secret ?? "", events: req.webhook_events ?? [] } };
}

/**
 * Records the job (`accepted`), then enqueues its first stage. With `waitMs`, it listens on
 * the job's event subject (subscribed before publishing, so the end cannot be missed) and
 * returns the terminal event if it arrives in time.
 */
export async function submitExtract(
  deps: SubmitDeps, tenant: string, file: StoredFile, req: ExtractRequest, waitMs: number, jobId = newJobId(),
): Promise<Submitted> {
  const { nc, events } = deps.pipeline;
  const waiter = waitMs > 0 ? waitForEnd(deps.pipeline, jobId, waitMs, deps.signal) : null;
  if (waiter) await nc.flush();
  const base = { jobId, tenantId: tenant, kind: JobKind.EXTRACT };
  const deadlineUnixMs = Date.now() + deps.config.jobDeadlineMs;
  await events.publish({
    ...base, eventId: `${jobId}:accepted`, type: EventType.ACCEPTED,
    metadataJson: JSON.stringify(req.metadata ?? {}), deadlineUnixMs,
    ...webhookOf(req),
  });
  const work = create(StageJobSchema, {
    ...base, fileRef: file.ref, mediaType: file.mediaType, deadlineUnixMs,
    extract: {
      pages: req.pages ?? "", password: req.password ?? "", ocr: req.ocr, languages: req.languages, tables: req.tables,
      ...(req.chunking ? { chunking: { strategy: req.chunking.strategy, maxChars: req.chunking.max_chars ?? 0 } } : {}),
    },
  });
  try {
    await jetstream(nc).publish(workSubject("parse"), toBinary(StageJobSchema, work), { msgID: `${jobId}:work:parse`, headers: traceHeaders() });
  } catch (err) {
    waiter?.cancel();
    deps.logger.error({ err, jobId }, "could not enqueue work");
    await events.end({ ...base, type: EventType.FAILED, error: { code: ErrorCode.Unavailable, message: "the work queue refused the job" } });
    throw new QuireError(ErrorCode.RateLimited, "the work queue is full or unavailable; retry later", { job_id: jobId }, { cause: err });
  }
  return { jobId, end: waiter ? await waiter.done : null };
}

interface Waiter {
  done: Promise<JobEvent | null>;
  cancel(): void;
}

function waitForEnd(pipeline: Pipeline, jobId: string, waitMs: number, signal: AbortSignal): Waiter {
  const sub = pipeline.nc.subscribe(eventSubject(jobId));
  const timer = setTimeout(() => sub.unsubscribe(), waitMs);
  const onAbort = () => sub.unsubscribe();
  signal.addEventListener("abort", onAbort, { once: true });
  const done = (async () => {
    for await (const m of sub) {
      const ev = fromBinary(JobEventSchema, m.data);
      if (isTerminalEvent(ev.type)) {
        sub.unsubscribe();
        return ev;
      }
    }
    return null;
  })().finally(() => {
    clearTimeout(timer);
    signal.removeEventListener("abort", onAbort);
  });
  return { done, cancel: () => sub.unsubscribe() };
}
