import { JobKind, JobStatus } from "./gen/quire/v1/common_pb.js";

const KIND_NAMES: Record<JobKind, string> = {
  [JobKind.UNSPECIFIED]: "unspecified",
  [JobKind.EXTRACT]: "extract",
  [JobKind.SPLIT]: "split",
  [JobKind.SCHEMA]: "schema",
};

const STATUS_NAMES: Record<JobStatus, string> = {
  [JobStatus.UNSPECIFIED]: "unspecified",
  [JobStatus.PENDING]: "pending",
  [JobStatus.PROCESSING]: "processing",
  [JobStatus.COMPLETED]: "completed",
  [JobStatus.FAILED]: "failed",
  [JobStatus.CANCELED]: "canceled",
};

/** The REST name of a job kind, e.g. "extract". */
export const jobKindName = (k: JobKind): string => KIND_NAMES[k] ?? "unspecified";

/** The REST name of a job status, e.g. "processing". */
export const jobStatusName = (s: JobStatus): string => STATUS_NAMES[s] ?? "unspecified";

/** REST name → enum; undefined when the name is not a known kind. */
export function parseJobKind(name: string): JobKind | undefined {
  const hit = Object.entries(KIND_NAMES).find(([, n]) => n === name);
  return hit && Number(hit[0]) !== JobKind.UNSPECIFIED ? (Number(hit[0]) as JobKind) : undefined;
}

/** REST name → enum; undefined when the name is not a known status. */
export function parseJobStatus(name: string): JobStatus | undefined {
  const hit = Object.entries(STATUS_NAMES).find(([, n]) => n === name);
  return hit && Number(hit[0]) !== JobStatus.UNSPECIFIED ? (Number(hit[0]) as JobStatus) : undefined;
}

/** Completed, failed and canceled are absorbing: nothing moves a job out of them. */
export const isTerminalStatus = (s: JobStatus): boolean => s === JobStatus.COMPLETED || s === JobStatus.FAILED || s === JobStatus.CANCELED;
