import { fromBinary } from "@bufbuild/protobuf";
import { EventType, StageJobSchema, type JobRecord, type StageJob } from "@quire/contracts";
import {
  ADVISORY_STREAM,
  ErrorCode,
  WORK_STREAM,
  inTraceOf,
  superviseConsumer,
  type JobEvents,
  type Logger,
  type NatsConnection,
  type SupervisedConsumer,
} from "@quire/runtime";
import { jetstream, jetstreamManager, type JetStreamManager, type JsMsg } from "@nats-io/jetstream";
import type { JobStore } from "./store/job-store.js";

export interface ReaperDeps {
  nc: NatsConnection;
  events: JobEvents;
  store: JobStore;
  logger: Logger;
  /** How often the deadline sweeper looks for overdue jobs. */
  sweepIntervalMs: number;
  /** Overdue jobs failed per sweep, at most. @default 100 */
  sweepBatch?: number;
}

export interface Reaper {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** One deadline sweep now; returns how many overdue jobs it found. */
  sweepOnce(nowMs?: number): Promise<number>;
}

/** The parts of `io.nats.jetstream.advisory.v1.max_deliver` we use. */
interface MaxDeliveriesAdvisory {
  stream: string;
  consumer: string;
  stream_seq: number;
  deliveries: number;
}

/** The durable consumer ensureTopology declares on the advisory stream. */
export const REAPER_CONSUMER = "reaper";

/**
 * The two nets under "a job is never lost" (RELIABILITY 2.3):
 * (a) a max-deliveries advisory means a work message was delivered MaxDeliver times without
 *     an ack (the worker crashed or hung each time): end its job as failed, delete the
 *     message (WorkQueue streams keep such messages for ever), then ack the advisory;
 * (b) advisories need a pull to fire and can be lost, so a sweeper also fails every job that
 *     is past its deadline and not ended.
 * Both end jobs through events.end(), whose KV claim makes a race with a worker or a cancel
 * harmless: exactly one terminal event wins.
 */
export function createReaper(deps: ReaperDeps): Reaper {
  const log = deps.logger.child({ component: "reaper" });
  let advisories: SupervisedConsumer | undefined;
  let timer: NodeJS.Timeout | undefined;
  let sweeping: Promise<void> | null = null;

  async function handleAdvisory(m: JsMsg, manager: JetStreamManager): Promise<void> {
    let adv: MaxDeliveriesAdvisory;
    try {
      adv = m.json<MaxDeliveriesAdvisory>();
    } catch (err) {
      log.error({ err, seq: m.seq }, "undecodable advisory; dropping it");
      m.term(); // bare: a reason would make it a no-op on nats-server 2.9
      return;
    }
    if (adv.stream !== WORK_STREAM || !Number.isInteger(adv.stream_seq)) {
      m.ack();
      return;
    }
    try {
      await reapWorkMessage(manager, adv);
      m.ack();
    } catch (err) {
      log.warn({ err, advisory: adv }, "could not reap; the advisory will be redelivered");
      m.nak(5_000);
    }
  }

  async function reapWorkMessage(manager: JetStreamManager, adv: MaxDeliveriesAdvisory): Promise<void> {
    const stored = await manager.streams.getMessage(WORK_STREAM, { seq: adv.stream_seq });
    if (!stored) {
      // Acked after all (a late ack counts) or reaped before: nothing is stuck.
      log.info({ seq: adv.stream_seq, stage: adv.consumer }, "dead work message already gone");
      return;
    }
    const job = decodeStageJob(stored.data);
    // In the job's trace (its work message's headers): the failed event and this line join it.
    if (job) {
      await inTraceOf(stored.header, () => failExhausted(job, adv));
    } else {
      log.error({ seq: adv.stream_seq, stage: adv.consumer }, "dead work message is not a StageJob; deleting it");
    }
    await deleteWorkMessage(manager, adv.stream_seq);
  }

  async function failExhausted(job: StageJob, adv: { consumer: string; deliveries: number }): Promise<void> {
    const claim = await deps.events.end({
      jobId: job.jobId,
      tenantId: job.tenantId,
      kind: job.kind,
      type: EventType.FAILED,
      stage: adv.consumer,
      error: {
        code: ErrorCode.RetriesExhausted,
        message: `${adv.consumer} failed after ${adv.deliveries} deliveries (each attempt crashed or timed out); giving up`,
      },
    });
    log.warn({ jobId: job.jobId, stage: adv.consumer, deliveries: adv.deliveries, won: claim.won }, "job failed: retries exhausted");
  }

  async function sweepOnce(nowMs = Date.now()): Promise<number> {
    const late = await deps.store.overdue(nowMs, deps.sweepBatch ?? 100);
    for (const job of late) await failOverdue(job);
    return late.length;
  }

  async function failOverdue(job: JobRecord): Promise<void> {
    const deadline = new Date(job.deadlineUnixMs).toISOString();
    const claim = await deps.events.end({
      jobId: job.jobId,
      tenantId: job.tenantId,
      kind: job.kind,
      type: EventType.FAILED,
      stage: job.progress?.stage ?? "",
      error: { code: ErrorCode.JobTimeout, message: `the job did not finish by its deadline (${deadline})` },
    });
    // Swept outside the job's trace: the line names it, so grep by trace id still finds it.
    log.warn(
      { jobId: job.jobId, deadline, won: claim.won, ...(job.traceId ? { trace_id: job.traceId } : {}) },
      "job failed: deadline passed",
    );
  }

  function tick(): void {
    if (sweeping) return; // a slow sweep is still running; skip this beat
    sweeping = sweepOnce()
      .then(
        () => undefined,
        (err: unknown) => log.warn({ err }, "deadline sweep failed; will retry"),
      )
      .finally(() => (sweeping = null));
  }

  return {
    async start() {
      const manager = await jetstreamManager(deps.nc);
      const js = jetstream(deps.nc);
      advisories = await superviseConsumer({
        name: REAPER_CONSUMER,
        logger: log,
        handle: (m) => handleAdvisory(m, manager),
        open: async () => (await js.consumers.get(ADVISORY_STREAM, REAPER_CONSUMER)).consume({ max_messages: 8 }),
      });
      timer = setInterval(tick, deps.sweepIntervalMs);
      log.info({ sweepIntervalMs: deps.sweepIntervalMs }, "reaper started");
    },
    async stop() {
      clearInterval(timer);
      await advisories?.stop();
      await sweeping;
    },
    sweepOnce,
  };
}

function decodeStageJob(data: Uint8Array): StageJob | null {
  try {
    const job = fromBinary(StageJobSchema, data);
    return job.jobId && job.tenantId ? job : null;
  } catch {
    return null;
  }
}

/** Deleting an already-deleted message is fine: someone else finished the job. */
async function deleteWorkMessage(jsm: JetStreamManager, seq: number): Promise<void> {
  try {
    await jsm.streams.deleteMessage(WORK_STREAM, seq, false);
  } catch (err) {
    if (await jsm.streams.getMessage(WORK_STREAM, { seq })) throw err;
  }
}
