import { create, toBinary } from "@bufbuild/protobuf";
import { jetstream, jetstreamManager, type JetStreamManager } from "@nats-io/jetstream";
import { EventType, JobKind, JobStatus, StageJobSchema, type JobRecord } from "@quire/contracts";
import { ADVISORY_STREAM, WORK_STREAM, workSubject } from "@quire/runtime";
import { waitFor } from "@quire/runtime/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProjection, type Projection } from "../src/projection.js";
import { createReaper, REAPER_CONSUMER, type Reaper } from "../src/reaper.js";
import { accepted, ev } from "../src/store/events.fixture.js";
import type { JobStore } from "../src/store/job-store.js";
import { createMemoryJobStore } from "../src/store/memory-job-store.js";
import { startEnv, type Env } from "./helpers.js";

const MAX_DELIVER = 2;

describe("reaper over a real nats-server", () => {
  let env: Env;
  let jsm: JetStreamManager;
  let store: JobStore;
  let projection: Projection;
  let reaper: Reaper;

  beforeAll(async () => {
    // A low MaxDeliver, as ensureTopology applies it to every stage consumer.
    env = await startEnv({ maxDeliver: MAX_DELIVER });
    jsm = await jetstreamManager(env.pipeline.nc);
    store = createMemoryJobStore({ retentionMs: env.config.retentionMs });
    projection = createProjection({ nc: env.pipeline.nc, store, logger: env.logger });
    await projection.start();
    reaper = createReaper({ nc: env.pipeline.nc, events: env.pipeline.events, store, logger: env.logger, sweepIntervalMs: 200 });
    await reaper.start();
  });
  afterAll(async () => {
    await reaper?.stop();
    await projection?.stop();
    await store?.close();
    await env?.stop();
  });

  const ended = (jobId: string) =>
    waitFor(`${jobId} to end`, async () => {
      const job = await store.get("acme", jobId);
      return job && job.status !== JobStatus.PENDING && job.status !== JobStatus.PROCESSING ? job : undefined;
    });

  it("fails a job whose work message ran out of deliveries, and deletes the dead message", async () => {
    await env.pipeline.events.publish(accepted("job_dead", { deadlineUnixMs: Date.now() + 3_600_000 }));
    const work = create(StageJobSchema, { jobId: "job_dead", tenantId: "acme", kind: JobKind.EXTRACT, fileRef: "acme/abc" });
    const ack = await jetstream(env.pipeline.nc).publish(workSubject("parse"), toBinary(StageJobSchema, work));

    // Play a parse worker that fails every delivery. The server notices the exhausted
    // message (and publishes the advisory) only when a further pull arrives.
    const parse = await jetstream(env.pipeline.nc).consumers.get(WORK_STREAM, "parse");
    for (let delivery = 1; delivery <= MAX_DELIVER; delivery++) {
      const m = await parse.next({ expires: 2_000 });
      expect(m?.seq).toBe(ack.seq);
      expect(m?.info.deliveryCount).toBe(delivery);
      m?.nak();
    }
    expect(await parse.next({ expires: 1_000 })).toBeNull();

    const job: JobRecord = await ended("job_dead");
    expect(job.status).toBe(JobStatus.FAILED);
    expect(job.error?.code).toBe("RETRIES_EXHAUSTED");
    expect(job.error?.message).toMatch(/parse failed after 2 deliveries/);
    await waitFor("dead work message deleted", async () => (await jsm.streams.getMessage(WORK_STREAM, { seq: ack.seq })) === null);
    await waitFor("advisory acked", async () => (await jsm.consumers.info(ADVISORY_STREAM, REAPER_CONSUMER)).num_ack_pending === 0);
    const ending = await env.pipeline.events.ended("job_dead");
    expect(ending?.type).toBe(EventType.FAILED);
  });

  it("fails overdue jobs with JOB_TIMEOUT and leaves ended or on-time jobs alone", async () => {
    const publish = (e: Parameters<Env["pipeline"]["events"]["publish"]>[0]) => env.pipeline.events.publish(e);
    await publish(accepted("job_late", { deadlineUnixMs: Date.now() - 1_000 }));
    await publish(accepted("job_on_time", { deadlineUnixMs: Date.now() + 3_600_000 }));
    await publish(accepted("job_finished", { deadlineUnixMs: Date.now() - 1_000 }));
    await env.pipeline.events.end(ev("job_finished", EventType.COMPLETED, { resultRef: "acme/r" }));

    const late = await ended("job_late");
    expect(late.status).toBe(JobStatus.FAILED);
    expect(late.error?.code).toBe("JOB_TIMEOUT");
    expect((await ended("job_finished")).status).toBe(JobStatus.COMPLETED);
    expect(await reaper.sweepOnce()).toBe(0);
    expect((await store.get("acme", "job_on_time"))?.status).toBe(JobStatus.PENDING);
  });
});
