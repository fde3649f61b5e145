import { fromBinary } from "@bufbuild/protobuf";
import { JobEventSchema, type JobEvent } from "@quire/contracts";
import { EVENTS_STREAM, inTraceOf, superviseConsumer, type Logger, type NatsConnection, type SupervisedConsumer } from "@quire/runtime";
import { DeliverPolicy, jetstream, jetstreamManager, type JsMsg, type StreamInfo } from "@nats-io/jetstream";
import type { JobStore } from "./store/job-store.js";

export interface ProjectionDeps {
  nc: NatsConnection;
  store: JobStore;
  logger: Logger;
}

export interface Projection {
  /** Attaches to QUIRE_EVENTS after the store's checkpoint and starts applying in the background. */
  start(): Promise<void>;
  /** Resolves once every event that was in the stream at start() has been applied. */
  caughtUp(): Promise<void>;
  /** Stream seq of the last event handled (applied, ignored as stale, or undecodable). */
  applied(): number;
  /** True once the event at `seq` has been handled; false after `timeoutMs` or on stop. */
  waitForSeq(seq: number, timeoutMs: number): Promise<boolean>;
  stop(): Promise<void>;
}

interface Waiter {
  seq: number;
  done(ok: boolean): void;
}

const MAX_RETRY_DELAY_MS = 5_000;

/**
 * Projects QUIRE_EVENTS into the store through an ordered consumer (no acks, no server-side
 * state to clean up; the library recreates it after gaps or reconnects, and the supervisor
 * reopens it after the last applied event if its iterator ever ends). The stream seq is
 * each event's version, and the consumer starts right after the store's checkpoint: the
 * memory store (checkpoint 0) is rebuilt from the retained stream on every start, the
 * MongoDB store resumes where it stopped.
 */
export function createProjection(deps: ProjectionDeps): Projection {
  const log = deps.logger.child({ component: "projection" });
  const waiters = new Set<Waiter>();
  let applied = 0;
  let consumer: SupervisedConsumer | undefined;
  let stopped = false;
  let target = 0;

  function settle(): void {
    for (const w of waiters) {
      if (w.seq <= applied) {
        waiters.delete(w);
        w.done(true);
      }
    }
  }

  function waitForSeq(seq: number, timeoutMs: number): Promise<boolean> {
    if (applied >= seq) return Promise.resolve(true);
    if (stopped) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = Number.isFinite(timeoutMs) ? setTimeout(() => finish(false), timeoutMs) : undefined;
      const w: Waiter = { seq, done: (ok) => finish(ok) };
      function finish(ok: boolean): void {
        clearTimeout(timer);
        waiters.delete(w);
        resolve(ok);
      }
      waiters.add(w);
    });
  }

  async function handle(m: JsMsg): Promise<void> {
    let event: JobEvent | undefined;
    try {
      event = fromBinary(JobEventSchema, m.data);
    } catch (err) {
      // A poison message must not stall every job behind it; it has no job to attach to anyway.
      log.error({ err, seq: m.seq, subject: m.subject }, "undecodable job event; skipped");
    }
    const ev = event;
    if (ev) await inTraceOf(m.headers, () => applyWithRetry(ev, m.seq));
    applied = Math.max(applied, m.seq);
    settle();
  }

  /** A store outage must not skip events (the consumer has no acks): retry until it works. */
  async function applyWithRetry(event: JobEvent, seq: number): Promise<void> {
    for (let attempt = 1; !stopped; attempt++) {
      try {
        await deps.store.apply(event, seq);
        return;
      } catch (err) {
        const delay = Math.min(MAX_RETRY_DELAY_MS, 100 * 2 ** attempt);
        log.warn({ err, seq, jobId: event.jobId, attempt, delayMs: delay }, "store write failed; retrying");
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  return {
    async start() {
      const jsm = await jetstreamManager(deps.nc);
      const info = await jsm.streams.info(EVENTS_STREAM);
      const startSeq = resumePoint(await deps.store.checkpoint(), info, log);
      applied = startSeq - 1;
      // The newest event present now; with an empty stream there is nothing to catch up on.
      target = info.state.messages > 0 ? info.state.last_seq : 0;
      const js = jetstream(deps.nc);
      // Reopened after any unexpected end, right after the last event applied.
      consumer = await superviseConsumer({
        name: "projection",
        logger: log,
        handle,
        open: async () =>
          (
            await js.consumers.get(EVENTS_STREAM, {
              deliver_policy: DeliverPolicy.StartSequence,
              opt_start_seq: applied + 1,
            })
          ).consume({ max_messages: 512 }),
      });
      log.info({ startSeq, streamLastSeq: info.state.last_seq, store: deps.store.kind }, "projection started");
    },
    caughtUp: async () => {
      await waitForSeq(target, Number.POSITIVE_INFINITY);
    },
    applied: () => applied,
    waitForSeq,
    async stop() {
      stopped = true;
      await consumer?.stop();
      for (const w of waiters) w.done(false);
    },
  };
}

/**
 * The first seq to read: right after the checkpoint. A checkpoint beyond the stream's end
 * means the stream was recreated (new server, lost volume); then resuming there would skip
 * every new event up to it, so replay the whole stream instead (the store is idempotent).
 */
function resumePoint(checkpoint: number, info: StreamInfo, log: Logger): number {
  if (checkpoint > info.state.last_seq) {
    log.warn(
      { checkpoint, streamLastSeq: info.state.last_seq },
      "checkpoint is past the end of QUIRE_EVENTS (stream recreated?); replaying the whole stream",
    );
    return 1;
  }
  return checkpoint + 1;
}
