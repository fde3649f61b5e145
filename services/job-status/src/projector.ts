import { create } from "@bufbuild/protobuf";
import {
  EventType,
  JobErrorSchema,
  JobKind,
  JobRecordSchema,
  JobStatus,
  ProgressSchema,
  isTerminalStatus,
  type JobRecord,
  type JobError,
  type JobEvent,
} from "@quire/contracts";

/**
 * The projection as a pure fold: the job's stored state, one event and the event's stream
 * sequence (its version) give the next state, or `undefined` when the event must be ignored.
 *
 * Rules, in order:
 * - an event without a job or tenant id is malformed: there is nothing to attach it to;
 * - an event not newer than the stored one (seq <= state.seq) is a duplicate or stale;
 * - a job never changes tenant: an event naming another tenant is ignored, never merged;
 * - completed / failed / canceled are absorbing: later events only bump seq (so replays and
 *   republished terminals stay no-ops), they never change what the user sees;
 * - an event for a job we have never seen creates the job even if it is not `accepted`:
 *   the events stream's max_age may have dropped the `accepted` while later events remain,
 *   and a 404 for a job that is still running (or that ended) would be worse than a job
 *   without metadata or deadline.
 */
export function applyEvent(state: JobRecord | undefined, event: JobEvent, seq: number): JobRecord | undefined {
  if (!event.jobId || !event.tenantId) return undefined;
  if (state) {
    if (seq <= state.seq) return undefined;
    if (state.tenantId !== event.tenantId) return undefined;
    if (isTerminalStatus(state.status)) return { ...state, seq };
  }
  const base = state ?? newJob(event);
  return fold(base, event, seq);
}

/** The job as `accepted` describes it; also the skeleton for a job first seen mid-life. */
function newJob(event: JobEvent): JobRecord {
  return create(JobRecordSchema, {
    jobId: event.jobId,
    tenantId: event.tenantId,
    kind: event.kind,
    status: JobStatus.PENDING,
    createdAtUnixMs: event.timeUnixMs,
    updatedAtUnixMs: event.timeUnixMs,
    metadataJson: event.metadataJson,
    deadlineUnixMs: event.deadlineUnixMs,
    traceId: event.traceId,
  });
}

function fold(state: JobRecord, event: JobEvent, seq: number): JobRecord {
  const next: JobRecord = {
    ...state,
    seq,
    // Publishers' clocks differ; updated_at must not move backwards.
    updatedAtUnixMs: Math.max(state.updatedAtUnixMs, event.timeUnixMs),
    kind: state.kind === JobKind.UNSPECIFIED ? event.kind : state.kind,
  };
  switch (event.type) {
    case EventType.ACCEPTED:
      return withAcceptedFields(next, event);
    case EventType.STARTED:
    case EventType.PROGRESS:
    case EventType.STAGE_COMPLETED:
      return { ...next, status: JobStatus.PROCESSING, progress: progressOf(state, event) };
    case EventType.CANCEL_REQUESTED:
      return { ...next, cancelRequested: true };
    case EventType.COMPLETED:
      return {
        ...ended(next, event, JobStatus.COMPLETED),
        resultRef: event.resultRef,
        progress: event.progress ?? state.progress,
        error: undefined,
      };
    case EventType.FAILED:
      return { ...ended(next, event, JobStatus.FAILED), error: errorOf(event, "INTERNAL", "the job failed") };
    case EventType.CANCELED:
      return { ...ended(next, event, JobStatus.CANCELED), cancelRequested: true, error: errorOf(event, "CANCELED", "canceled by request") };
    default:
      // An event type this build does not know (a newer publisher): keep the version moving.
      return next;
  }
}

/** A second `accepted` (or one that follows a job first seen mid-life) only fills gaps. */
function withAcceptedFields(job: JobRecord, event: JobEvent): JobRecord {
  return {
    ...job,
    metadataJson: job.metadataJson || event.metadataJson,
    deadlineUnixMs: job.deadlineUnixMs || event.deadlineUnixMs,
    traceId: job.traceId || event.traceId,
  };
}

function ended(job: JobRecord, event: JobEvent, status: JobStatus): JobRecord {
  return { ...job, status, completedAtUnixMs: event.timeUnixMs || job.updatedAtUnixMs };
}

/**
 * `started` carries no progress, only its stage: keep the last numbers, show the new stage.
 * The percent never goes back: a redelivered stage reports its first pages again, and a user
 * watching a bar must not see it shrink.
 */
function progressOf(state: JobRecord, event: JobEvent): JobRecord["progress"] {
  if (event.progress) return create(ProgressSchema, { ...event.progress, pct: Math.max(state.progress?.pct ?? 0, event.progress.pct) });
  if (event.type === EventType.STARTED && event.stage) {
    return create(ProgressSchema, { pct: state.progress?.pct ?? 0, message: `${event.stage} started`, stage: event.stage });
  }
  return state.progress;
}

/** A terminal state always explains itself, even when the publisher sent no error. */
function errorOf(event: JobEvent, code: string, fallback: string): JobError {
  if (event.error?.code) return event.error;
  return create(JobErrorSchema, { code, message: event.error?.message || fallback });
}
