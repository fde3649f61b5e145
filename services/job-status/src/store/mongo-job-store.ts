import { JobKind, JobStatus, type JobRecord, type JobEvent } from "@quire/contracts";
import { MongoClient, MongoServerError, type Collection, type Filter } from "mongodb";
import { applyEvent } from "../projector.js";
import { decodeCursor, encodeCursor, type JobStore, type JobStoreOptions, type ListPage, type ListQuery } from "./job-store.js";
import { fromDoc, toDoc, type JobDoc, type MetaDoc } from "./mongo-doc.js";

export interface MongoJobStoreOptions extends JobStoreOptions {
  uri: string;
  /** Database; by default the one named in the URI path, else "quire". */
  dbName?: string;
  /** How long to look for a usable server before an operation fails. @default 10_000 */
  serverSelectionTimeoutMs?: number;
}

const CHECKPOINT_ID = "projection.checkpoint";
/** The checkpoint is written at most this often; replaying a few events after a crash is harmless. */
const CHECKPOINT_EVERY_MS = 1_000;
const CHECKPOINT_EVERY_EVENTS = 100;

/**
 * Jobs in MongoDB (collection `jobs`, `_id` = job id), written with the guarded upsert of
 * RELIABILITY 3.1: the filter requires the stored seq to be older than the event's, so a
 * stale or duplicate event misses the filter, the upsert tries to insert an existing `_id`,
 * and the duplicate-key error (E11000) is the "ignore it" signal. Several job-status replicas
 * may project into the same collection concurrently.
 */
export async function openMongoJobStore(opts: MongoJobStoreOptions): Promise<JobStore> {
  const client = new MongoClient(opts.uri, {
    appName: "quire-job-status",
    serverSelectionTimeoutMS: opts.serverSelectionTimeoutMs ?? 10_000,
  });
  await client.connect();
  const db = client.db(opts.dbName ?? dbNameOf(opts.uri));
  const jobs = db.collection<JobDoc>("jobs");
  const meta = db.collection<MetaDoc>("meta");
  await ensureIndexes(jobs);
  const checkpoint = await checkpointWriter(meta);

  return {
    kind: "mongodb",

    async apply(event: JobEvent, seq: number) {
      const prev = event.jobId ? await jobs.findOne({ _id: event.jobId }) : null;
      const next = applyEvent(prev ? fromDoc(prev) : undefined, event, seq);
      const changed = next ? await guardedWrite(jobs, next, seq, opts.retentionMs) : false;
      // Only after the write: a checkpoint must never claim an event that is not stored.
      await checkpoint.advance(seq);
      return changed;
    },

    async get(tenantId, jobId) {
      const doc = await jobs.findOne({ _id: jobId, tenantId, ...notExpired(Date.now()) });
      return doc ? fromDoc(doc) : null;
    },

    async list(q: ListQuery): Promise<ListPage> {
      const filter: Filter<JobDoc> = { tenantId: q.tenantId, ...notExpired(Date.now()) };
      if (q.status !== undefined && q.status !== JobStatus.UNSPECIFIED) filter.status = q.status;
      if (q.kind !== undefined && q.kind !== JobKind.UNSPECIFIED) filter.kind = q.kind;
      if (q.cursor) {
        const after = decodeCursor(q.cursor);
        filter.$or = [{ createdAt: { $lt: after.createdAt } }, { createdAt: after.createdAt, _id: { $lt: after.jobId } }];
      }
      // One extra document tells whether another page exists without a count.
      const docs = await jobs
        .find(filter)
        .sort({ createdAt: -1, _id: -1 })
        .limit(q.limit + 1)
        .toArray();
      const page = docs.slice(0, q.limit).map(fromDoc);
      const last = page.at(-1);
      return { jobs: page, nextCursor: docs.length > q.limit && last ? encodeCursor(last) : "" };
    },

    checkpoint: async () => checkpoint.current(),

    async overdue(nowMs, limit) {
      const docs = await jobs
        .find({ status: { $in: [JobStatus.PENDING, JobStatus.PROCESSING] }, deadline: { $gt: 0, $lt: nowMs } })
        .sort({ deadline: 1 })
        .limit(limit)
        .toArray();
      return docs.map(fromDoc);
    },

    async ping() {
      await db.command({ ping: 1 });
    },

    async close() {
      await checkpoint.flush().catch(() => undefined);
      await client.close();
    },
  };
}

async function guardedWrite(jobs: Collection<JobDoc>, job: JobRecord, seq: number, retentionMs: number): Promise<boolean> {
  try {
    await jobs.replaceOne({ _id: job.jobId, tenantId: job.tenantId, seq: { $lt: seq } }, toDoc(job, retentionMs), { upsert: true });
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false; // stored seq >= seq (or another tenant's job): stale
    throw err;
  }
}

async function ensureIndexes(jobs: Collection<JobDoc>): Promise<void> {
  await jobs.createIndexes([
    { key: { tenantId: 1, createdAt: -1, _id: -1 }, name: "tenant_created" },
    { key: { tenantId: 1, status: 1, createdAt: -1, _id: -1 }, name: "tenant_status_created" },
    { key: { status: 1, deadline: 1 }, name: "status_deadline" },
    // expireAfterSeconds 0: each document expires at the clock time in its own expireAt.
    { key: { expireAt: 1 }, name: "expire_at_ttl", expireAfterSeconds: 0 },
  ]);
}

/**
 * The TTL monitor runs about once a minute and may lag further, so reads filter expired
 * documents themselves. `$not: {$lte}` also matches documents without expireAt (running jobs).
 */
function notExpired(nowMs: number): Filter<JobDoc> {
  return { expireAt: { $not: { $lte: new Date(nowMs) } } };
}

interface CheckpointWriter {
  current(): number;
  advance(seq: number): Promise<void>;
  flush(): Promise<void>;
}

/** Keeps the highest applied seq in memory and persists it (monotonically, `$max`) in batches. */
async function checkpointWriter(meta: Collection<MetaDoc>): Promise<CheckpointWriter> {
  let saved = (await meta.findOne({ _id: CHECKPOINT_ID }))?.seq ?? 0;
  let applied = saved;
  let savedAt = Date.now();
  const save = async () => {
    const seq = applied;
    try {
      await meta.updateOne({ _id: CHECKPOINT_ID }, { $max: { seq } }, { upsert: true });
    } catch (err) {
      // Two replicas creating the document at once: the other one won; ours goes next time.
      if (!isDuplicateKey(err)) throw err;
      return;
    }
    saved = Math.max(saved, seq);
    savedAt = Date.now();
  };
  return {
    current: () => applied,
    async advance(seq) {
      applied = Math.max(applied, seq);
      if (applied - saved >= CHECKPOINT_EVERY_EVENTS || Date.now() - savedAt >= CHECKPOINT_EVERY_MS) await save();
    },
    async flush() {
      if (applied > saved) await save();
    },
  };
}

function isDuplicateKey(err: unknown): boolean {
  return err instanceof MongoServerError && err.code === 11000;
}

/** "mongodb://h1,h2/quire?x=y" → "quire"; the driver itself would fall back to "test". */
export function dbNameOf(uri: string): string {
  const m = /^mongodb(?:\+srv)?:\/\/[^/]*\/([^?/]+)/.exec(uri);
  return m?.[1] ? decodeURIComponent(m[1]) : "quire";
}
