import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { EventType, StageJobSchema, type JobEvent, type StageJob } from "@quire/contracts";
import { jetstream, jetstreamManager, type Consumer, type JsMsg } from "@nats-io/jetstream";
import { observeGauge, quireMetrics } from "../metrics.js";
import type { NatsConnection } from "@nats-io/nats-core";
import type { Logger } from "../logger.js";
import { ErrorCode, QuireError } from "../errors.js";
import type { JobEvents } from "./events.js";
import { inSpan, inTraceOf, SpanKind, traceHeaders } from "../telemetry.js";
import { currentStep, planPct } from "./plan.js";
import { PROGRESS_INTERVAL_MS, progressGate } from "./progress-gate.js";
import type { JobTimings } from "@quire/contracts";
import { jobTimings, StageClock } from "./timings.js";
import { WORK_STREAM, workSubject, type Stage } from "./topology.js";

/** How often a running job is checked for having ended elsewhere (canceled, timed out): then its signal aborts. */
export const END_WATCH_MS = 1_000;

/** Delay before delivery n+1 after a transient failure of delivery n. */
export const BACKOFF_MS = [2_000, 10_000, 30_000, 120_000] as const;

/** Thrown by `ctx.throwIfEnded()` when the job was canceled (or ended) while we worked. */
export class JobEndedError extends Error {
  override name = "JobEndedError";
  constructor(readonly event: JobEvent) {
    super(`job ${event.jobId} already ended`);
  }
}

/** What a stage hands on when it is done: artifacts for the stages after it, and its result. */
export interface StageOutput {
  /** Object name of this stage's result; required when the stage is the plan's last. */
  resultRef?: string;
  /** References later stages read (e.g. parsedRef, extractionRef), merged into the work message. */
  artifacts?: Partial<Pick<StageJob, "parsedRef" | "extractionRef" | "cachedParse" | "fileRef" | "mediaType">>;
}

export interface StageContext {
  /** Aborted when the job ends elsewhere (cancel) or the worker is released at shutdown. */
  signal: AbortSignal;
  logger: Logger;
  /** 1 on first delivery. */
  attempt: number;
  /**
   * Emits a progress event for `fraction` (0..1) of this stage done; the overall percent comes
   * from the plan. `seq` must be stable across redeliveries (e.g. the page number). Call it as
   * often as there is news (every page): the worker coalesces, publishing the first report, the
   * last, and at most one per `progressIntervalMs` between.
   */
  progress(seq: number, fraction: number, message: string): Promise<void>;
  /**
   * Measures a part of this stage's work (`"load"`, `"ocr"`, `"store"`, …) for `usage.timings`;
   * `addTime` adds a duration measured elsewhere (e.g. summed page by page).
   */
  time<T>(part: string, fn: () => Promise<T>): Promise<T>;
  addTime(part: string, ms: number): void;
  /** The job's timings so far: earlier stages, and this one up to now. Put it in the result's usage. */
  timings(): JobTimings;
  /**
   * Throws JobEndedError if the job has ended (e.g. canceled). Free: it reads no store, only
   * `signal`, which the worker's end watch aborts within END_WATCH_MS of the job ending, so call
   * it between pages as often as you like. The one way a stage notices a cancel.
   */
  throwIfEnded(): Promise<void>;
  /**
   * The stage is done. The worker, not the stage, decides what follows from the plan: it
   * enqueues the next step (once, however often this stage is redelivered), or, after the last
   * step, ends the job as completed with `resultRef`.
   */
  done(output: StageOutput): Promise<void>;
}

export interface StageDefinition {
  stage: Stage;
  /** Parallel jobs per process. */
  concurrency: number;
  ackWaitMs: number;
  maxDeliver: number;
  /** Nak delays after transient failures; the last value repeats. @default BACKOFF_MS */
  backoffMs?: readonly number[];
  /** At most one progress event per job per this many ms (the first and the last always go). @default PROGRESS_INTERVAL_MS */
  progressIntervalMs?: number;
  handle(job: StageJob, ctx: StageContext): Promise<void>;
}

export interface StageWorkerDeps {
  nc: NatsConnection;
  events: JobEvents;
  logger: Logger;
  /** How long stop() lets in-flight jobs finish before releasing them with nak(). */
  drainMs: number;
}

export interface StageWorker {
  start(): Promise<void>;
  /** Stops pulling, waits up to drainMs for in-flight jobs, naks the rest. */
  stop(): Promise<void>;
  /** Jobs being handled right now. */
  inFlight(): number;
}

interface InFlight {
  msg: JsMsg;
  abort: AbortController;
  done: Promise<void>;
  released: boolean;
  /** Set once the handler itself ends the job (complete), so its own end is not taken for a cancel. */
  endingHere?: boolean;
}

export function createStageWorker(def: StageDefinition, deps: StageWorkerDeps): StageWorker {
  const js = jetstream(deps.nc);
  const log = deps.logger.child({ stage: def.stage });
  const running = new Set<InFlight>();
  const stopping = new AbortController();
  const loops: Promise<void>[] = [];

  /** One slot of `concurrency`: pulls and handles one job at a time until stop(). */
  async function pullLoop(): Promise<void> {
    let consumer: Consumer | null = null;
    while (!stopping.signal.aborted) {
      let m: JsMsg | null;
      try {
        // Looked up again after a failure: the consumer may be missing for a while (a broker
        // restarted without its volume, or the topology not declared yet).
        consumer ??= await js.consumers.get(WORK_STREAM, def.stage);
        m = await consumer.next({ expires: 2_000 });
      } catch (err) {
        if (stopping.signal.aborted) return;
        log.warn({ err }, "pull failed; retrying");
        consumer = null;
        await sleep(1_000);
        continue;
      }
      if (!m) continue;
      if (stopping.signal.aborted) {
        m.nak();
        return;
      }
      const entry: InFlight = { msg: m, abort: new AbortController(), done: Promise.resolve(), released: false };
      running.add(entry);
      // A job whose handling throws past settleFailure must not end the slot: a worker that
      // stops pulling looks healthy while jobs wait. Its message comes back after AckWait.
      // In the job's trace from the first line: every log line about it carries its trace id.
      entry.done = inTraceOf(m.headers, () => handleOne(entry))
        .catch((err: unknown) => log.error({ err, seq: m.seq }, "handling a job crashed; the slot goes on"))
        .finally(() => running.delete(entry));
      await entry.done;
    }
  }

  async function handleOne(entry: InFlight): Promise<void> {
    const m = entry.msg;
    let job: StageJob;
    try {
      job = fromBinary(StageJobSchema, m.data);
    } catch (err) {
      log.error({ err, seq: m.seq }, "undecodable work message; terminating it");
      m.term();
      return;
    }
    const attempt = m.info.deliveryCount;
    const jlog = log.child({ jobId: job.jobId, attempt });
    if (attempt > 1) quireMetrics().redeliveries.add(1, { stage: def.stage });
    const started = performance.now();
    const outcome = await runJob(entry, job, attempt, jlog);
    if (outcome !== "released") quireMetrics().stageDuration.record((performance.now() - started) / 1000, { stage: def.stage, outcome });
  }

  /** Handles one delivery of a decoded job; says how it was settled. */
  async function runJob(
    entry: InFlight,
    job: StageJob,
    attempt: number,
    jlog: Logger,
  ): Promise<"ok" | "ended" | "retry" | "failed" | "released"> {
    const m = entry.msg;
    try {
      const step = currentStep(job);
      if (step.stage !== def.stage)
        throw new QuireError(ErrorCode.Internal, `plan step ${job.step} is ${step.stage}, not ${def.stage}`, {}, { retryable: false });
    } catch (err) {
      return settleFailure(job, m, attempt, err, jlog);
    }
    // The heartbeat keeps the delivery ours; the end watch aborts the handler's signal within
    // END_WATCH_MS of the job ending elsewhere (canceled, or failed by the deadline sweeper), so
    // the slot is given up even if the handler never looks, instead of working a dead job.
    const heartbeat = setInterval(() => m.working(), Math.max(1_000, Math.floor(def.ackWaitMs / 3)));
    const endWatch = setInterval(() => {
      void deps.events.ended(job.jobId).then(
        (e) => {
          if (e && !entry.endingHere) entry.abort.abort(new JobEndedError(e));
        },
        () => undefined,
      );
    }, END_WATCH_MS);
    try {
      const ended = await deps.events.ended(job.jobId);
      if (ended) throw new JobEndedError(ended);
      await deps.events.publish({
        eventId: `${job.jobId}:started:${def.stage}`,
        jobId: job.jobId,
        tenantId: job.tenantId,
        type: EventType.STARTED,
        kind: job.kind,
        stage: def.stage,
      });
      const handled = inSpan(
        `stage ${def.stage}`,
        { "quire.job_id": job.jobId, "quire.tenant": job.tenantId, "quire.attempt": attempt },
        () => def.handle(job, contextFor(job, entry, attempt, jlog)),
        { kind: SpanKind.CONSUMER }, // a child of the message's trace, which handleOne runs in
      );
      handled.catch(() => undefined); // a handler left behind may still reject; nobody waits for it then
      await Promise.race([handled, rejectWhenEnded(entry.abort.signal)]);
      if (entry.released) return "released";
      await m.ackAck();
      jlog.info("stage done");
      return "ok";
    } catch (err) {
      if (entry.released) return "released";
      return await settleFailure(job, m, attempt, err, jlog);
    } finally {
      clearInterval(heartbeat);
      clearInterval(endWatch);
    }
  }

  /** Settles a delivery that threw; says how, for the stage-duration metric. */
  async function settleFailure(
    job: StageJob,
    m: JsMsg,
    attempt: number,
    err: unknown,
    jlog: Logger,
  ): Promise<"ended" | "retry" | "failed"> {
    if (err instanceof JobEndedError) {
      jlog.info({ end: EventType[err.event.type] }, "job ended elsewhere; dropping its work");
      m.ack();
      return "ended";
    }
    const e = QuireError.from(err);
    if (e.retryable && attempt < def.maxDeliver) {
      const schedule = def.backoffMs ?? BACKOFF_MS;
      const delay = schedule[Math.min(attempt - 1, schedule.length - 1)] ?? 2_000;
      jlog.warn({ err: e, code: e.code, delayMs: delay }, "stage failed; will retry");
      m.nak(delay);
      return "retry";
    }
    const code = e.retryable ? ErrorCode.RetriesExhausted : e.code;
    const message = e.retryable ? `${def.stage} failed after ${attempt} attempts: ${publicMessage(e)}` : e.message;
    jlog.warn({ err: e, code }, "stage failed; failing the job");
    try {
      await deps.events.end({
        jobId: job.jobId,
        tenantId: job.tenantId,
        type: EventType.FAILED,
        kind: job.kind,
        stage: def.stage,
        error: { code, message },
      });
      m.term(); // bare term(): on nats-server 2.9 a reason would turn it into a no-op
    } catch (pubErr) {
      jlog.error({ err: pubErr }, "could not record the failure; redelivering");
      m.nak(5_000);
      return "retry";
    }
    return "failed";
  }

  function contextFor(job: StageJob, entry: InFlight, attempt: number, jlog: Logger): StageContext {
    const base = { jobId: job.jobId, tenantId: job.tenantId, kind: job.kind, stage: def.stage };
    // The stream's timestamp of this message: when the step before (or the gateway) enqueued it.
    const clock = new StageClock(def.stage, entry.msg.info.timestampNanos / 1e6);
    const progressDue = progressGate(def.progressIntervalMs ?? PROGRESS_INTERVAL_MS);
    return {
      signal: entry.abort.signal,
      logger: jlog,
      attempt,
      async progress(seq, fraction, message) {
        if (!progressDue(fraction)) return;
        await deps.events.publish({
          ...base,
          eventId: `${job.jobId}:progress:${job.step}:${def.stage}:${seq}`,
          type: EventType.PROGRESS,
          progress: { pct: planPct(job.plan, job.step, fraction), message, stage: def.stage },
        });
      },
      time: (part, fn) => clock.time(part, fn),
      addTime: (part, ms) => clock.add(part, ms),
      timings: () => jobTimings(clock.flat(job.timingsMs)),
      async throwIfEnded() {
        if (entry.released) throw new QuireError(ErrorCode.Unavailable, "worker shutting down");
        const reason: unknown = entry.abort.signal.aborted ? entry.abort.signal.reason : undefined;
        if (reason instanceof JobEndedError) throw reason;
      },
      async done(output) {
        const timingsMs = clock.flat(job.timingsMs);
        const nextIndex = job.step + 1;
        const following = job.plan[nextIndex];
        if (following) {
          const nextJob = create(StageJobSchema, { ...job, ...output.artifacts, step: nextIndex, timingsMs });
          await js.publish(workSubject(following.stage as Stage), toBinary(StageJobSchema, nextJob), {
            msgID: `${job.jobId}:work:${nextIndex}:${following.stage}`,
            headers: traceHeaders(),
          });
          await deps.events.publish({
            ...base,
            eventId: `${job.jobId}:stage_completed:${job.step}:${def.stage}`,
            type: EventType.STAGE_COMPLETED,
            progress: { pct: planPct(job.plan, nextIndex, 0), message: `${def.stage} done`, stage: def.stage },
          });
          return;
        }
        if (!output.resultRef)
          throw new QuireError(ErrorCode.Internal, `the plan ends at ${def.stage}, which produced no result`, {}, { retryable: false });
        entry.endingHere = true;
        const claim = await deps.events.end({
          ...base,
          type: EventType.COMPLETED,
          resultRef: output.resultRef,
          progress: { pct: 100, message: "done", stage: def.stage },
        });
        if (!claim.won) jlog.info({ end: EventType[claim.event.type] }, "job had already ended; result discarded");
      },
    };
  }

  return {
    async start() {
      for (let i = 0; i < def.concurrency; i++) {
        loops.push(pullLoop());
      }
      // Messages waiting for this stage: the figure KEDA scales the stage's workers on.
      let jsm: ReturnType<typeof jetstreamManager> | undefined;
      observeGauge("quire.stage.backlog", "Work messages waiting for a stage (not yet delivered)", async () => {
        jsm ??= jetstreamManager(deps.nc);
        const info = await (await jsm).consumers.info(WORK_STREAM, def.stage);
        return [{ value: info.num_pending, attributes: { stage: def.stage } }];
      });
      log.info({ concurrency: def.concurrency }, "stage worker started");
    },
    async stop() {
      stopping.abort();
      const all = Promise.all([...running].map((r) => r.done));
      const drained = await Promise.race([all.then(() => true), sleep(deps.drainMs).then(() => false)]);
      if (!drained) {
        for (const r of running) {
          r.released = true;
          r.abort.abort(new QuireError(ErrorCode.Unavailable, "worker shutting down"));
          r.msg.nak();
          log.warn({ seq: r.msg.seq }, "released in-flight job for another worker");
        }
      }
      await Promise.race([Promise.allSettled(loops), sleep(2_000)]);
    },
    inFlight: () => running.size,
  };
}

function publicMessage(e: QuireError): string {
  return e.code === ErrorCode.Internal ? "internal error" : e.message;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Rejects with the JobEndedError a signal is aborted with; stays pending for any other reason (a release at shutdown). */
function rejectWhenEnded(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    const check = (): void => void (signal.reason instanceof JobEndedError && reject(signal.reason));
    if (signal.aborted) check();
    else signal.addEventListener("abort", check, { once: true });
  });
}
