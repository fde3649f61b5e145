import { clone } from "@bufbuild/protobuf";
import { JobKind, JobRecordSchema, JobStatus, isTerminalStatus, type JobRecord, type JobEvent } from "@quire/contracts";
import { applyEvent } from "../projector.js";
import {
  compareNewestFirst,
  decodeCursor,
  encodeCursor,
  expiryOf,
  type CursorPosition,
  type JobStore,
  type JobStoreOptions,
  type ListPage,
  type ListQuery,
} from "./job-store.js";

interface Entry {
  job: JobRecord;
  /** Epoch ms after which reads stop seeing the job; null while it runs. */
  expireAt: number | null;
}

/** Expired jobs are dropped from memory at most this often (reads filter them anyway). */
const PURGE_EVERY_MS = 60_000;

/**
 * The embedded read model: a Map by job id plus, per tenant, an index kept sorted newest
 * first, so a page is a binary search and a short scan. It holds no state of its own worth
 * saving: on every start the projection rebuilds it from the retained QUIRE_EVENTS stream.
 */
export function createMemoryJobStore(opts: JobStoreOptions): JobStore {
  const jobs = new Map<string, Entry>();
  const byTenant = new Map<string, CursorPosition[]>();
  let checkpoint = 0;
  let lastPurge = Date.now();

  const visible = (e: Entry | undefined, now: number): e is Entry => e !== undefined && (e.expireAt === null || e.expireAt > now);

  function index(tenantId: string): CursorPosition[] {
    let list = byTenant.get(tenantId);
    if (!list) byTenant.set(tenantId, (list = []));
    return list;
  }

  function purgeExpired(now: number): void {
    lastPurge = now;
    const gone = new Set<string>();
    for (const [id, e] of jobs) if (!visible(e, now)) gone.add(id);
    if (gone.size === 0) return;
    for (const id of gone) jobs.delete(id);
    for (const [tenant, list] of byTenant)
      byTenant.set(
        tenant,
        list.filter((p) => !gone.has(p.jobId)),
      );
  }

  return {
    kind: "memory",

    async apply(event: JobEvent, seq: number) {
      checkpoint = Math.max(checkpoint, seq);
      const now = Date.now();
      if (now - lastPurge > PURGE_EVERY_MS) purgeExpired(now);
      const prev = jobs.get(event.jobId);
      const next = applyEvent(prev?.job, event, seq);
      if (!next) return false;
      jobs.set(next.jobId, { job: next, expireAt: expiryOf(next, opts.retentionMs) });
      // The projector never changes a job's tenant or created_at, so index on creation only.
      if (!prev) insertSorted(index(next.tenantId), { createdAt: next.createdAtUnixMs, jobId: next.jobId });
      return true;
    },

    async get(tenantId, jobId) {
      const e = jobs.get(jobId);
      if (!visible(e, Date.now()) || e.job.tenantId !== tenantId) return null;
      return clone(JobRecordSchema, e.job);
    },

    async list(q: ListQuery): Promise<ListPage> {
      const list = byTenant.get(q.tenantId) ?? [];
      const start = q.cursor ? firstAfter(list, decodeCursor(q.cursor)) : 0;
      const now = Date.now();
      const page: JobRecord[] = [];
      for (let i = start; i < list.length && page.length <= q.limit; i++) {
        const e = jobs.get(list[i]?.jobId ?? "");
        if (visible(e, now) && matches(e.job, q)) page.push(e.job);
      }
      const more = page.length > q.limit;
      const jobsOut = page.slice(0, q.limit).map((j) => clone(JobRecordSchema, j));
      const last = jobsOut.at(-1);
      return { jobs: jobsOut, nextCursor: more && last ? encodeCursor(last) : "" };
    },

    async checkpoint() {
      return checkpoint;
    },

    async overdue(nowMs, limit) {
      const late: JobRecord[] = [];
      for (const { job } of jobs.values()) {
        if (!isTerminalStatus(job.status) && job.deadlineUnixMs > 0 && job.deadlineUnixMs < nowMs) late.push(job);
      }
      late.sort((a, b) => a.deadlineUnixMs - b.deadlineUnixMs);
      return late.slice(0, limit).map((j) => clone(JobRecordSchema, j));
    },

    async ping() {},

    async close() {
      jobs.clear();
      byTenant.clear();
    },
  };
}

function matches(job: JobRecord, q: ListQuery): boolean {
  if (q.status !== undefined && q.status !== JobStatus.UNSPECIFIED && job.status !== q.status) return false;
  if (q.kind !== undefined && q.kind !== JobKind.UNSPECIFIED && job.kind !== q.kind) return false;
  return true;
}

/** Index of the first position that sorts strictly after `pos` (binary search). */
function firstAfter(list: CursorPosition[], pos: CursorPosition): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const p = list[mid];
    if (p && compareNewestFirst(p, pos) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function insertSorted(list: CursorPosition[], pos: CursorPosition): void {
  list.splice(firstAfter(list, pos), 0, pos);
}
