import { randomUUID } from "node:crypto";
import { create, toBinary } from "@bufbuild/protobuf";
import { EventType, StageJobSchema, jobKindName, type JobEvent, type JobKind, type PlanStepSchema, type rest } from "@quire/contracts";
import {
  ErrorCode,
  QuireError,
  checkTargetUrl,
  isTerminalEvent,
  workSubject,
  type Logger,
  type NatsConnection,
  type Pipeline,
  type Stage,
  activeTraceId,
  quireMetrics,
  traceHeaders,
} from "@quire/runtime";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { jetstream } from "@nats-io/jetstream";
import type { GatewayConfig } from "./config.js";
import { followJob } from "./follow-job.js";
import type { WebhooksClient } from "./webhooks-client.js";

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
  /** The notifier: keeps a request's webhook secret (sealed) and the tenants' signing secrets. */
  webhooks: WebhooksClient;
}

export const newJobId = (): string => `job_${randomUUID().replaceAll("-", "")}`;

/**
 * Refuses a webhook_url we can already tell is not allowed (bad scheme, credentials, a literal
 * private or metadata address) with a 400 before any work starts. Names are checked again by
 * the notifier after DNS resolution, on every connection, since what they resolve to can change.
 */
export function checkWebhookTarget(req: rest.ProcessingRequest, config: GatewayConfig): void {
  if (!req.webhook_url) return;
  try {
    checkTargetUrl(req.webhook_url, config.fetch);
  } catch (err) {
    const e = QuireError.from(err);
    throw new QuireError(e.code, `webhook_url: ${e.message}`, { ...e.details, field: "webhook_url" });
  }
}

/**
 * The request's webhook options as they travel on `accepted` (read by the notifier only). Its
 * secret never rides in an event: the notifier keeps it sealed and answers the reference the
 * event names; a request naming none is signed with the tenant's signing secret, which the
 * notifier makes sure of now.
 */
async function webhookOf(deps: SubmitDeps, tenant: string, jobId: string, req: rest.ProcessingRequest, style = "") {
  if (!req.webhook_url) return {};
  const { secretRef } = await deps.webhooks.prepareJobWebhook({ tenantId: tenant, jobId, secret: req.webhook_secret ?? "" });
  return { webhook: { url: req.webhook_url, secretRef, events: req.webhook_events ?? [], style } };
}

/** Where a job's first stage finds its input: a stored file, a URL to fetch, or a stored extraction. */
export type JobInput = { fileRef: string; mediaType: string } | { fileUrl: string } | { extractionRef: string };

export type PlanStepInit = MessageInitShape<typeof PlanStepSchema>;

/** What one processing request asks for, whatever its operation. */
export interface JobRequest {
  kind: JobKind;
  input: JobInput;
  /** The stages to run, in order, each with its options. */
  plan: PlanStepInit[];
  options: rest.ProcessingRequest;
  /** How the job's webhook is shaped and signed (WebhookTarget.style). */
  webhookStyle?: string | undefined;
}

/**
 * The one submission path of every operation: records the job (`accepted`), then enqueues the
 * first stage of its plan. With `waitMs`, it follows the job's events from the stream position
 * after `accepted` (so the end cannot be missed, however soon it comes) and returns the terminal
 * event if it arrives in time.
 */
export async function submitJob(deps: SubmitDeps, tenant: string, job: JobRequest, waitMs: number, jobId = newJobId()): Promise<Submitted> {
  const { nc, events } = deps.pipeline;
  const first = job.plan[0]?.stage as Stage | undefined;
  if (!first) throw new QuireError(ErrorCode.Internal, "a job needs at least one stage");
  const waitUntil = waitMs > 0 ? AbortSignal.any([deps.signal, AbortSignal.timeout(waitMs)]) : null; // the sync limit counts from here
  const base = { jobId, tenantId: tenant, kind: job.kind };
  const deadlineUnixMs = Date.now() + deps.config.jobDeadlineMs;
  const accepted = await events.publish({
    ...base,
    eventId: `${jobId}:accepted`,
    type: EventType.ACCEPTED,
    metadataJson: JSON.stringify(job.options.metadata ?? {}),
    deadlineUnixMs,
    traceId: activeTraceId(),
    ...(await webhookOf(deps, tenant, jobId, job.options, job.webhookStyle)),
  });
  const work = create(StageJobSchema, { ...base, ...job.input, deadlineUnixMs, plan: job.plan, step: 0 });
  try {
    await jetstream(nc).publish(workSubject(first), toBinary(StageJobSchema, work), {
      msgID: `${jobId}:work:0:${first}`,
      headers: traceHeaders(),
    });
  } catch (err) {
    deps.logger.error({ err, jobId }, "could not enqueue work");
    await events.end({
      ...base,
      type: EventType.FAILED,
      error: { code: ErrorCode.Unavailable, message: "the work queue refused the job" },
    });
    throw new QuireError(ErrorCode.RateLimited, "the work queue is full or unavailable; retry later", { job_id: jobId }, { cause: err });
  }
  quireMetrics().jobsSubmitted.add(1, { kind: jobKindName(job.kind) });
  // The events after `accepted`, read from the stream from its position on, so none is missed
  // however soon the job ends: the same follower as SSE and gRPC WatchJob.
  return { jobId, end: waitUntil ? await waitForEnd(nc, jobId, accepted.seq + 1, waitUntil) : null };
}

/** The job's terminal event, if it comes before `signal` aborts (the sync limit, or shutdown); else null. */
async function waitForEnd(nc: NatsConnection, jobId: string, fromSeq: number, signal: AbortSignal): Promise<JobEvent | null> {
  if (signal.aborted) return null;
  for await (const { event } of followJob(nc, jobId, fromSeq, signal)) if (isTerminalEvent(event.type)) return event;
  return null;
}
