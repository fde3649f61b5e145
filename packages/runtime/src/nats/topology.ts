import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  RetentionPolicy,
  StorageType,
  jetstreamManager,
  type JetStreamManager,
  type StreamConfig,
  type ConsumerConfig,
} from "@nats-io/jetstream";
import { nanos, type NatsConnection } from "@nats-io/nats-core";
import { Kvm } from "@nats-io/kv";
import { Objm } from "@nats-io/obj";

/** Stages of the pipeline; each has a subject quire.work.<stage> and a durable consumer. */
export const STAGES = ["parse", "extract", "split", "schema"] as const;
export type Stage = (typeof STAGES)[number];

export const WORK_STREAM = "QUIRE_WORK";
export const EVENTS_STREAM = "QUIRE_EVENTS";
export const ADVISORY_STREAM = "QUIRE_DEAD_LETTERS";
export const FILES_BUCKET = "quire_files";
export const RESULTS_BUCKET = "quire_results";
/** Artifacts a request asked to keep (`persist: true`): no TTL, kept until deleted. */
export const PERSISTED_BUCKET = "quire_persisted";
/** key = job id, value = the terminal JobEvent; `create` is the atomic "who ends the job". */
export const JOB_END_BUCKET = "quire_job_end";
/** key = hash of tenant + Idempotency-Key, value = {job_id, request hash}; kept 24 h. */
export const IDEMPOTENCY_BUCKET = "quire_idempotency";
const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;

/** Durable consumer on QUIRE_EVENTS that turns job events into webhook deliveries. */
export const NOTIFIER_CONSUMER = "notifier";
export const workSubject = (stage: Stage): string => `quire.work.${stage}`;
export const eventSubject = (jobId: string): string => `quire.events.${jobId}`;
export const MAX_DELIVERIES_SUBJECT = `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${WORK_STREAM}.*`;

export interface TopologyOptions {
  retentionMs: number;
  ackWaitMs: number;
  maxDeliver: number;
  /** Upper bound on queued work; beyond it publishes are refused (DiscardNew), never dropped. */
  maxQueuedJobs?: number;
}

/** The largest nak delay a stage worker uses (see stage-worker.ts BACKOFF_MS). */
const MAX_NAK_DELAY_MS = 120_000;
/** The shortest duplicate window of the work and event streams: a publish repeated within it under the same msgID is dropped. */
export const MIN_DUPLICATE_WINDOW_MS = 600_000;

/**
 * Declares every stream, consumer, KV bucket and object store Quire uses. Idempotent: run by
 * every service at start-up, creating what is missing and updating what drifted.
 */
export async function ensureTopology(nc: NatsConnection, opts: TopologyOptions): Promise<void> {
  const jsm = await jetstreamManager(nc);
  // The duplicate window must cover a redelivered stage's re-publish of its successor:
  // AckWait × MaxDeliver plus the nak delays between them, with a 10 min floor.
  const dupWindowMs = Math.max(MIN_DUPLICATE_WINDOW_MS, opts.ackWaitMs * opts.maxDeliver + MAX_NAK_DELAY_MS * opts.maxDeliver);
  await upsertStream(jsm, {
    name: WORK_STREAM,
    subjects: ["quire.work.*"],
    retention: RetentionPolicy.Workqueue,
    storage: StorageType.File,
    discard: DiscardPolicy.New,
    // New jobs are admitted up to maxQueuedJobs (the gateway checks); each may have a message
    // for every stage in flight, and a successor must never be refused for want of room.
    max_msgs: (opts.maxQueuedJobs ?? 100_000) * STAGES.length,
    max_age: 0,
    max_msg_size: 64 * 1024,
    duplicate_window: nanos(dupWindowMs),
    num_replicas: 1,
  });
  await upsertStream(jsm, {
    name: EVENTS_STREAM,
    subjects: ["quire.events.*"],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    max_age: nanos(opts.retentionMs),
    max_msg_size: 256 * 1024,
    duplicate_window: nanos(dupWindowMs),
    num_replicas: 1,
  });
  // Max-deliveries advisories are core publishes; capturing them in a stream means a job
  // whose deliveries ran out is failed even if job-status was down at that moment.
  await upsertStream(jsm, {
    name: ADVISORY_STREAM,
    subjects: [MAX_DELIVERIES_SUBJECT],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    max_age: nanos(opts.retentionMs),
    num_replicas: 1,
  });
  for (const stage of STAGES) {
    await upsertConsumer(jsm, WORK_STREAM, {
      durable_name: stage,
      filter_subject: workSubject(stage),
      ack_policy: AckPolicy.Explicit,
      ack_wait: nanos(opts.ackWaitMs),
      max_deliver: opts.maxDeliver,
      max_ack_pending: 1_000,
      deliver_policy: DeliverPolicy.All,
    });
  }
  await upsertConsumer(jsm, ADVISORY_STREAM, {
    durable_name: "reaper",
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(30_000),
    deliver_policy: DeliverPolicy.All,
  });
  // The notifier acks each event once its deliveries are recorded and schedules retries in
  // its own due bucket, so it never holds delayed naks (they would pin MaxAckPending slots).
  await upsertConsumer(jsm, EVENTS_STREAM, {
    durable_name: NOTIFIER_CONSUMER,
    filter_subject: "quire.events.*",
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(30_000),
    max_ack_pending: 1_000,
    deliver_policy: DeliverPolicy.All,
  });
  const kvm = new Kvm(nc);
  await kvm.create(JOB_END_BUCKET, { history: 1, ttl: opts.retentionMs, storage: StorageType.File });
  await kvm.create(IDEMPOTENCY_BUCKET, { history: 1, ttl: IDEMPOTENCY_TTL_MS, storage: StorageType.File });
  const objm = new Objm(nc);
  await objm.create(FILES_BUCKET, { ttl: nanos(opts.retentionMs), storage: StorageType.File });
  await objm.create(RESULTS_BUCKET, { ttl: nanos(opts.retentionMs), storage: StorageType.File });
  await objm.create(PERSISTED_BUCKET, { storage: StorageType.File });
}

async function upsertStream(jsm: JetStreamManager, cfg: Partial<StreamConfig> & { name: string }): Promise<void> {
  try {
    await jsm.streams.info(cfg.name);
  } catch {
    await jsm.streams.add(cfg);
    return;
  }
  await jsm.streams.update(cfg.name, cfg);
}

async function upsertConsumer(
  jsm: JetStreamManager,
  stream: string,
  cfg: Partial<ConsumerConfig> & { durable_name: string },
): Promise<void> {
  try {
    await jsm.consumers.info(stream, cfg.durable_name);
  } catch {
    await jsm.consumers.add(stream, cfg);
    return;
  }
  const { deliver_policy: _d, filter_subject: _f, ...mutable } = cfg;
  await jsm.consumers.update(stream, cfg.durable_name, mutable);
}
