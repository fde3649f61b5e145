import { JobStatus, jobKindName, jobStatusName, type JobRecord } from "@quire/contracts";

const iso = (ms: number): string => new Date(ms).toISOString();

/** Projected job → the REST shape. The result is loaded separately (it lives in the object store). */
export function toJobView(job: JobRecord, result?: Record<string, unknown>) {
  return {
    job_id: job.jobId,
    kind: jobKindName(job.kind),
    status: jobStatusName(job.status),
    created_at: iso(job.createdAtUnixMs),
    updated_at: iso(job.updatedAtUnixMs || job.createdAtUnixMs),
    completed_at: job.completedAtUnixMs ? iso(job.completedAtUnixMs) : null,
    progress: {
      pct: job.progress?.pct ?? (job.status === JobStatus.COMPLETED ? 100 : 0),
      message: job.progress?.message ?? "",
      stage: job.progress?.stage ?? "",
    },
    metadata: parseMetadata(job.metadataJson),
    trace_id: job.traceId || null,
    ...(result ? { result } : {}),
    ...(job.error?.code ? { error: { code: job.error.code, message: job.error.message } } : {}),
  };
}

/** The job's metadata JSON → an object ({} when absent or not an object). */
export function parseMetadata(json: string): Record<string, unknown> {
  if (!json) return {};
  try {
    return JSON.parse(json) as Record<string, unknown>;
  } catch {
    return {};
  }
}
