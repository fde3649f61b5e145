import { create } from "@bufbuild/protobuf";
import { JobRecordSchema, type JobRecord, type JobKind, type JobStatus } from "@quire/contracts";
import { expiryOf } from "./job-store.js";

/**
 * A job as stored in the `jobs` collection. Times are epoch ms (numbers) like the Job message,
 * except `expireAt`, which must be a BSON date for the TTL index to act on it.
 */
export interface JobDoc {
  _id: string;
  tenantId: string;
  kind: number;
  status: number;
  createdAt: number;
  updatedAt: number;
  /** 0 while the job runs. */
  completedAt: number;
  progress: { pct: number; message: string; stage: string } | null;
  metadataJson: string;
  resultRef: string;
  error: { code: string; message: string } | null;
  /** Stream sequence of the last event applied: the guard of every write. */
  seq: number;
  cancelRequested: boolean;
  /** 0 when the job has no deadline. */
  deadline: number;
  /** W3C trace id of the job's trace; absent in documents written before it was kept. */
  traceId?: string;
  /** Absent while the job runs; absent documents never expire. */
  expireAt?: Date;
}

/** The one-document state of the projection itself. */
export interface MetaDoc {
  _id: string;
  seq: number;
}

export function toDoc(job: JobRecord, retentionMs: number): Omit<JobDoc, "_id"> {
  const expiry = expiryOf(job, retentionMs);
  return {
    tenantId: job.tenantId,
    kind: job.kind,
    status: job.status,
    createdAt: job.createdAtUnixMs,
    updatedAt: job.updatedAtUnixMs,
    completedAt: job.completedAtUnixMs,
    progress: job.progress ? { pct: job.progress.pct, message: job.progress.message, stage: job.progress.stage } : null,
    metadataJson: job.metadataJson,
    resultRef: job.resultRef,
    error: job.error ? { code: job.error.code, message: job.error.message } : null,
    seq: job.seq,
    cancelRequested: job.cancelRequested,
    deadline: job.deadlineUnixMs,
    traceId: job.traceId,
    ...(expiry === null ? {} : { expireAt: new Date(expiry) }),
  };
}

export function fromDoc(doc: JobDoc): JobRecord {
  return create(JobRecordSchema, {
    jobId: doc._id,
    tenantId: doc.tenantId,
    kind: doc.kind as JobKind,
    status: doc.status as JobStatus,
    createdAtUnixMs: doc.createdAt,
    updatedAtUnixMs: doc.updatedAt,
    completedAtUnixMs: doc.completedAt,
    ...(doc.progress ? { progress: doc.progress } : {}),
    metadataJson: doc.metadataJson,
    resultRef: doc.resultRef,
    ...(doc.error ? { error: doc.error } : {}),
    seq: doc.seq,
    cancelRequested: doc.cancelRequested,
    deadlineUnixMs: doc.deadline,
    traceId: doc.traceId ?? "",
  });
}
