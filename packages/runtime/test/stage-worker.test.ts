import { create, toBinary } from "@bufbuild/protobuf";
import { EventType, JobKind, StageJobSchema } from "@quire/contracts";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createLogger, currentStep, ErrorCode, QuireError, stepOptions } from "../src/index.js";
import { baseConfig, baseEnv, parseConfig } from "../src/config.js";
import { openPipeline, type Pipeline } from "../src/pipeline.js";
import { createStageWorker, JobEndedError, type StageContext, type StageWorker } from "../src/nats/stage-worker.js";
import { ensureTopology, WORK_STREAM, workSubject } from "../src/nats/topology.js";
import { startNatsServer, waitFor, type NatsServer } from "../src/testing/index.js";
import type { StageJob } from "@quire/contracts";

const logger = createLogger({ service: "test", level: (process.env.TEST_LOG as "silent") ?? "silent" });

describe("stage worker over a real nats-server", () => {
  let server: NatsServer;
  let pipeline: Pipeline;
  let worker: StageWorker | undefined;
  let config: ReturnType<typeof baseConfig>;
  beforeAll(async () => {
    server = await startNatsServer();
    config = baseConfig(
      parseConfig(baseEnv, { NATS_URL: server.url, QUIRE_ACK_WAIT_MS: "1000", QUIRE_MAX_DELIVER: "3", QUIRE_METRICS_PORT: "0" }),
    );
    pipeline = await openPipeline(config, logger, "stage-worker-test");
  });
  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
  });
  afterAll(async () => {
    await pipeline.nc.drain();
    await server.stop();
  });

  let n = 0;
  async function enqueue(): Promise<string> {
    const jobId = `job_${String(++n).padStart(32, "0")}`;
    const job = create(StageJobSchema, { jobId, tenantId: "t1", kind: JobKind.SPLIT, plan: [{ stage: "split" }], step: 0 });
    await jetstream(pipeline.nc).publish(workSubject("split"), toBinary(StageJobSchema, job), { msgID: `${jobId}:work:split` });
    return jobId;
  }

  function run(handle: (job: StageJob, ctx: StageContext) => Promise<void>, drainMs = 2_000): void {
    worker = createStageWorker(
      { stage: "split", concurrency: 1, ackWaitMs: 1_000, maxDeliver: 3, backoffMs: [50], handle },
      { nc: pipeline.nc, events: pipeline.events, logger, drainMs },
    );
    void worker.start();
  }

  it("naks a transient failure with backoff and completes on a later delivery", async () => {
    const attempts: number[] = [];
    run(async (job, ctx) => {
      attempts.push(ctx.attempt);
      if (ctx.attempt < 2) throw new QuireError(ErrorCode.Unavailable, "flaky dependency");
      await ctx.done({ resultRef: `t1/${job.jobId}/result.json` });
    });
    const jobId = await enqueue();
    const end = await waitFor("the job to end", () => pipeline.events.ended(jobId).then((e) => e ?? undefined));
    expect(end.type).toBe(EventType.COMPLETED);
    expect(attempts).toEqual([1, 2]);
  });

  it("fails the job at once on a non-retryable error, keeping its code", async () => {
    let calls = 0;
    run(async () => {
      calls++;
      throw new QuireError(ErrorCode.InvalidPdf, "not a PDF");
    });
    const jobId = await enqueue();
    const end = await waitFor("the job to end", () => pipeline.events.ended(jobId).then((e) => e ?? undefined));
    expect(end.type).toBe(EventType.FAILED);
    expect(end.error?.code).toBe("INVALID_PDF");
    expect(calls).toBe(1);
  });

  it("fails the job with RETRIES_EXHAUSTED after the last delivery of a transient error", async () => {
    run(async () => {
      throw new QuireError(ErrorCode.Unavailable, "always down");
    });
    const jobId = await enqueue();
    const end = await waitFor("the job to end", () => pipeline.events.ended(jobId).then((e) => e ?? undefined));
    expect(end.error?.code).toBe("RETRIES_EXHAUSTED");
    expect(end.error?.message).toMatch(/after 3 attempts/);
  });

  it("drops the work of a job that was canceled while it waited", async () => {
    const jobId = await enqueue();
    await pipeline.events.end({ jobId, tenantId: "t1", type: EventType.CANCELED });
    let handled = false;
    run(async () => {
      handled = true;
    });
    await waitFor("the queue to drain", async () => {
      const info = await jetstream(pipeline.nc)
        .consumers.get("QUIRE_WORK", "split")
        .then((c) => c.info());
      return info.num_pending === 0 && info.num_ack_pending === 0;
    });
    expect(handled).toBe(false);
    expect((await pipeline.events.ended(jobId))?.type).toBe(EventType.CANCELED);
  });

  it("gives up the slot of a handler that never returns once its job is ended elsewhere, and takes the next job", async () => {
    const seen: string[] = [];
    run(async (job, ctx) => {
      seen.push(job.jobId);
      if (seen.length === 1) return new Promise<void>(() => undefined); // hangs, ignoring its signal
      await ctx.done({ resultRef: `t1/${job.jobId}/r.json` });
    });
    const stuck = await enqueue();
    await waitFor("the first job to be taken", () => seen.length === 1);
    await pipeline.events.end({ jobId: stuck, tenantId: "t1", type: EventType.CANCELED }); // e.g. DELETE /v1/jobs/{id}
    const next = await enqueue();
    const end = await waitFor(
      "the next job to complete on the same (only) slot",
      () => pipeline.events.ended(next).then((e) => e ?? undefined),
      { timeoutMs: 10_000 },
    );
    expect(end.type).toBe(EventType.COMPLETED);
    expect(seen).toEqual([stuck, next]);
  });

  it("aborts a running handler's signal within about a second of its job being canceled, and throwIfEnded says so", async () => {
    let started = 0;
    let abortedAfterMs = -1;
    let thrown: unknown;
    run(async (_job, ctx) => {
      started = Date.now();
      await new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => resolve(), { once: true }));
      abortedAfterMs = Date.now() - canceledAt;
      thrown = await ctx.throwIfEnded().then(
        () => null,
        (e: unknown) => e,
      );
    });
    const jobId = await enqueue();
    await waitFor("the job to be taken", () => started > 0);
    const canceledAt = Date.now();
    await pipeline.events.end({ jobId, tenantId: "t1", type: EventType.CANCELED });
    await waitFor("the signal to abort", () => abortedAfterMs >= 0, { timeoutMs: 5_000 });
    expect(abortedAfterMs).toBeLessThan(2_000);
    expect(thrown).toBeInstanceOf(JobEndedError);
  });

  it("releases an unfinished job at shutdown so another worker takes it at once", async () => {
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    run(async (_job, ctx) => {
      started();
      await new Promise((r) => ctx.signal.addEventListener("abort", r));
    }, 200);
    const jobId = await enqueue();
    await running;
    await worker?.stop();
    worker = undefined;
    run(async (job, ctx) => ctx.done({ resultRef: `t1/${job.jobId}/r.json` }));
    const end = await waitFor("the released job to complete", () => pipeline.events.ended(jobId).then((e) => e ?? undefined), {
      timeoutMs: 5_000,
    });
    expect(end.type).toBe(EventType.COMPLETED);
  });

  it("keeps trying while its consumer is missing, and takes the waiting job once it is declared again", async () => {
    const jsm = await jetstreamManager(pipeline.nc);
    await jsm.consumers.delete(WORK_STREAM, "split");
    const handled: string[] = [];
    run(async (job, ctx) => {
      handled.push(job.jobId);
      await ctx.done({ resultRef: `t1/${job.jobId}/r.json` });
    });
    const jobId = await enqueue();
    await new Promise((r) => setTimeout(r, 1_500)); // at least one failed lookup
    expect(handled).toEqual([]);
    await ensureTopology(pipeline.nc, { retentionMs: config.retentionMs, ackWaitMs: config.ackWaitMs, maxDeliver: config.maxDeliver });
    const end = await waitFor("the job to complete", () => pipeline.events.ended(jobId).then((e) => e ?? undefined), { timeoutMs: 10_000 });
    expect(end.type).toBe(EventType.COMPLETED);
    expect(handled).toEqual([jobId]);
  });

  it("routes a job through its plan: each stage hands on to the next, the last completes, progress rises to 100", async () => {
    const jobId = `job_${String(++n).padStart(32, "0")}`;
    const job = create(StageJobSchema, {
      jobId,
      tenantId: "t1",
      kind: JobKind.SCHEMA,
      step: 0,
      plan: [{ stage: "split" }, { stage: "schema", options: { case: "split", value: { engine: "deterministic" } } }],
    });
    const seen: { stage: string; extractionRef: string; options: string | undefined }[] = [];
    run(async (_job, ctx) => {
      seen.push({ stage: currentStep(_job).stage, extractionRef: _job.extractionRef, options: _job.plan[_job.step]?.options.case });
      await ctx.progress(1, 0.5, "half");
      await ctx.done({ artifacts: { extractionRef: "t1/extractions/x" } });
    });
    const second = createStageWorker(
      {
        stage: "schema",
        concurrency: 1,
        ackWaitMs: 1_000,
        maxDeliver: 3,
        backoffMs: [50],
        handle: async (j, ctx) => {
          seen.push({
            stage: currentStep(j).stage,
            extractionRef: j.extractionRef,
            options: stepOptions(j, "split") ? "split" : undefined,
          });
          await ctx.progress(1, 0.5, "half");
          await ctx.done({ resultRef: `t1/${j.jobId}/schema.json` });
        },
      },
      { nc: pipeline.nc, events: pipeline.events, logger, drainMs: 1_000 },
    );
    await second.start();
    try {
      await jetstream(pipeline.nc).publish(workSubject("split"), toBinary(StageJobSchema, job), { msgID: `${jobId}:work:0:split` });
      const end = await waitFor("the job to end", () => pipeline.events.ended(jobId).then((e) => e ?? undefined));
      expect(end.error?.message ?? "").toBe("");
      expect(end.type).toBe(EventType.COMPLETED);
      expect(end.resultRef).toBe(`t1/${jobId}/schema.json`);
      // the second stage saw the first one's artifact and its own options
      expect(seen).toEqual([
        { stage: "split", extractionRef: "", options: undefined },
        { stage: "schema", extractionRef: "t1/extractions/x", options: "split" },
      ]);
      const { readEvents } = await import("./read-events.js");
      const pcts = (await readEvents(pipeline.nc, jobId)).filter((e) => e.progress).map((e) => e.progress!.pct);
      expect(pcts).toEqual([25, 50, 75, 100]); // equal weights (split 2, schema 2): half of each, then done
    } finally {
      await second.stop();
    }
  });

  it("fails a job whose plan step names another stage instead of running it", async () => {
    const jobId = `job_${String(++n).padStart(32, "0")}`;
    const job = create(StageJobSchema, { jobId, tenantId: "t1", kind: JobKind.SPLIT, plan: [{ stage: "schema" }], step: 0 });
    let handled = false;
    run(async () => {
      handled = true;
    });
    await jetstream(pipeline.nc).publish(workSubject("split"), toBinary(StageJobSchema, job), { msgID: `${jobId}:work:0:split` });
    const end = await waitFor("the job to end", () => pipeline.events.ended(jobId).then((e) => e ?? undefined));
    expect(end.type).toBe(EventType.FAILED);
    expect(end.error?.code).toBe("INTERNAL");
    expect(handled).toBe(false);
  });
});
