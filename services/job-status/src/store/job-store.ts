import type { JobRecord, JobEvent, JobKind, JobStatus } from "@quire/contracts";
import { ErrorCode, QuireError } from "@quire/runtime";

export interface ListQuery {
  tenantId: string;
  /** Only jobs in this status; omitted (or UNSPECIFIED) means any. */
  status?: JobStatus;
  /** Only jobs of this kind; omitted (or UNSPECIFIED) means any. */
  kind?: JobKind;
  /** Page size; the caller validates it (1..100). */
  limit: number;
  /** `nextCursor` of the previous page, unchanged. */
  cursor?: string;
}

export interface ListPage {
  /** Newest first (created_at, then job id, both descending). */
  jobs: JobRecord[];
  /** Empty when there are no more jobs. */
  nextCursor: string;
}

/**
 * The read model of jobs. job-status is its only writer (through `apply`), and every read
 * names a tenant: a job of another tenant is indistinguishable from a job that never existed.
 */
export interface JobStore {
  /** "memory" or "mongodb", for logs. */
  readonly kind: string;
  /**
   * Folds one event into the job (see projector.ts). Idempotent and order-tolerant: an event
   * whose stream seq is not newer than the stored one changes nothing. Returns whether the
   * stored job changed. Either way the checkpoint moves to at least `seq`.
   */
  apply(event: JobEvent, seq: number): Promise<boolean>;
  /** The job, or null if it does not exist, belongs to another tenant, or has expired. */
  get(tenantId: string, jobId: string): Promise<JobRecord | null>;
  list(query: ListQuery): Promise<ListPage>;
  /** Highest stream seq handed to `apply`, 0 if none; the projection resumes after it. */
  checkpoint(): Promise<number>;
  /** Non-terminal jobs whose deadline has passed, any tenant (for the deadline sweeper). */
  overdue(nowMs: number, limit: number): Promise<JobRecord[]>;
  /** Throws when the store cannot serve (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface JobStoreOptions {
  /** Ended jobs are kept this long after they end, then expire (reads stop seeing them). */
  retentionMs: number;
}

/** When an ended job stops being visible; null while the job runs (it never expires). */
export function expiryOf(job: JobRecord, retentionMs: number): number | null {
  return job.completedAtUnixMs > 0 ? job.completedAtUnixMs + retentionMs : null;
}

/** Position after which the next page starts: the last job of the previous page. */
export interface CursorPosition {
  createdAt: number;
  jobId: string;
}

/** Opaque to callers; base64url JSON so a store can change its shape without breaking them. */
export function encodeCursor(job: JobRecord): string {
  return Buffer.from(JSON.stringify({ t: job.createdAtUnixMs, id: job.jobId }), "utf8").toString("base64url");
}

export function decodeCursor(cursor: string): CursorPosition {
  const bad = () => new QuireError(ErrorCode.InvalidArgument, "cursor is not valid: pass next_cursor from the previous page unchanged");
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw bad();
  }
  const p = parsed as { t?: unknown; id?: unknown } | null;
  if (typeof p !== "object" || p === null || typeof p.t !== "number" || !Number.isFinite(p.t) || typeof p.id !== "string" || !p.id)
    throw bad();
  return { createdAt: p.t, jobId: p.id };
}

/** The listing order: newest first, job id breaking ties so pages never overlap or skip. */
export function compareNewestFirst(a: CursorPosition, b: CursorPosition): number {
  if (a.createdAt !== b.createdAt) return b.createdAt - a.createdAt;
  return a.jobId < b.jobId ? 1 : a.jobId > b.jobId ? -1 : 0;
}
