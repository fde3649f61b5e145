import { jetstreamManager } from "@nats-io/jetstream";
import { EventType, JobKind, JobStatus } from "@quire/contracts";
import { EVENTS_STREAM } from "@quire/runtime";
import { waitFor } from "@quire/runtime/testing";
import { status } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGrpcServer, type JobsGrpcServer } from "../src/grpc-server.js";
import { createProjection, type Projection } from "../src/projection.js";
import { accepted, ev } from "../src/store/events.fixture.js";
import type { JobStore } from "../src/store/job-store.js";
import { createMemoryJobStore } from "../src/store/memory-job-store.js";
import { codeOf, healthCheck, jobsClient, startEnv, type Env } from "./helpers.js";

/** A store whose writes for `jobPrefix` take `ms`: makes "GetJob arrives before the projection" certain. */
function slowStore(inner: JobStore, jobPrefix: string, ms: number): JobStore {
  return {
    ...inner,
    async apply(e, s) {
      if (e.jobId.startsWith(jobPrefix)) await new Promise((r) => setTimeout(r, ms));
      return inner.apply(e, s);
    },
  };
}

interface Served {
  store: JobStore;
  projection: Projection;
  server: JobsGrpcServer;
  client: ReturnType<typeof jobsClient>;
  stop(): Promise<void>;
}

/** job-status in-process, as main.ts wires it: store → projection (caught up) → gRPC. */
async function serve(env: Env, store: JobStore = createMemoryJobStore({ retentionMs: env.config.retentionMs })): Promise<Served> {
  const projection = createProjection({ nc: env.pipeline.nc, store, logger: env.logger });
  await projection.start();
  await projection.caughtUp();
  const jsm = await jetstreamManager(env.pipeline.nc);
  const server = await startGrpcServer("127.0.0.1:0", { store, projection, jsm, logger: env.logger });
  const client = jobsClient(`127.0.0.1:${server.port}`);
  return {
    store,
    projection,
    server,
    client,
    async stop() {
      client.close();
      await server.stop(1_000);
      await projection.stop();
      await store.close();
    },
  };
}

describe("job-status over a real nats-server", () => {
  let env: Env;
  let js: Served;
  const publish = (e: Parameters<Env["pipeline"]["events"]["publish"]>[0]) => env.pipeline.events.publish(e);

  beforeAll(async () => {
    env = await startEnv();
    js = await serve(env);
  });
  afterAll(async () => {
    await js?.stop();
    await env?.stop();
  });

  it("projects a job's events and serves its status over gRPC", async () => {
    await publish(accepted("job_life", { kind: JobKind.EXTRACT, metadataJson: '{"order":42}' }));
    await publish(ev("job_life", EventType.STARTED, { stage: "parse" }));
    await publish(ev("job_life", EventType.PROGRESS, { progress: { pct: 50, message: "page 1/2", stage: "parse" } }));
    const claim = await env.pipeline.events.end(ev("job_life", EventType.COMPLETED, { resultRef: "acme/res1", stage: "extract" }));
    expect(claim.won).toBe(true);
    const job = await waitFor("job_life completed", async () => {
      const res = await js.client.getJob("acme", "job_life");
      return res.job?.status === JobStatus.COMPLETED ? res.job : undefined;
    });
    expect(job).toMatchObject({ tenantId: "acme", kind: JobKind.EXTRACT, resultRef: "acme/res1", metadataJson: '{"order":42}' });
    expect(job.completedAtUnixMs).toBeGreaterThan(0);
    expect(job.progress?.pct).toBe(50);
  });

  it("answers NOT_FOUND for unknown jobs and for another tenant's job, and never lists it", async () => {
    await publish(accepted("job_acme_only"));
    await waitFor("job_acme_only", () => js.client.getJob("acme", "job_acme_only").then((r) => r.job));
    expect(await codeOf(js.client.getJob("globex", "job_acme_only"))).toBe(status.NOT_FOUND);
    expect(await codeOf(js.client.getJob("acme", "job_never_existed"))).toBe(status.NOT_FOUND);
    expect(await codeOf(js.client.getJob("acme", "bad.subject>"))).toBe(status.NOT_FOUND);
    const globex = await js.client.listJobs({ tenantId: "globex", limit: 100 });
    expect(globex.jobs.map((j) => j.jobId)).not.toContain("job_acme_only");
  });

  it("lists newest first with filters and a cursor; rejects a bad limit or cursor", async () => {
    for (let i = 0; i < 5; i++)
      await publish(accepted(`job_page_${i}`, { tenantId: "pager", timeUnixMs: 1_000 + i, kind: i % 2 ? JobKind.SPLIT : JobKind.EXTRACT }));
    await publish(ev("job_page_4", EventType.FAILED, { tenantId: "pager", error: { code: "INVALID_PDF", message: "x" } }));
    await waitFor("pager jobs", async () => (await js.client.listJobs({ tenantId: "pager", status: JobStatus.FAILED })).jobs.length === 1);
    const first = await js.client.listJobs({ tenantId: "pager", limit: 2 });
    const second = await js.client.listJobs({ tenantId: "pager", limit: 2, cursor: first.nextCursor });
    const third = await js.client.listJobs({ tenantId: "pager", limit: 2, cursor: second.nextCursor });
    expect([...first.jobs, ...second.jobs, ...third.jobs].map((j) => j.jobId)).toEqual([
      "job_page_4",
      "job_page_3",
      "job_page_2",
      "job_page_1",
      "job_page_0",
    ]);
    expect(third.nextCursor).toBe("");
    expect((await js.client.listJobs({ tenantId: "pager", kind: JobKind.SPLIT })).jobs.map((j) => j.jobId)).toEqual([
      "job_page_3",
      "job_page_1",
    ]);
    expect((await js.client.listJobs({ tenantId: "pager" })).jobs).toHaveLength(5); // limit 0 → default 20
    expect(await codeOf(js.client.listJobs({ tenantId: "pager", limit: 101 }))).toBe(status.INVALID_ARGUMENT);
    expect(await codeOf(js.client.listJobs({ tenantId: "pager", cursor: "garbage" }))).toBe(status.INVALID_ARGUMENT);
    expect(await codeOf(js.client.getJob("", "job_page_1"))).toBe(status.INVALID_ARGUMENT);
  });

  it("answers a GetJob that arrives before the projection applied the accepted event", async () => {
    const slow = await serve(env, slowStore(createMemoryJobStore({ retentionMs: env.config.retentionMs }), "job_race", 400));
    try {
      await publish(accepted("job_race"));
      expect(await slow.store.get("acme", "job_race")).toBeNull(); // the projection has not got there yet
      const res = await slow.client.getJob("acme", "job_race");
      expect(res.job?.status).toBe(JobStatus.PENDING);
      // The other tenant waits for the same event, then still gets NOT_FOUND.
      await publish(accepted("job_race2"));
      expect(await codeOf(slow.client.getJob("globex", "job_race2"))).toBe(status.NOT_FOUND);
    } finally {
      await slow.stop();
    }
  });

  it("rebuilds the same jobs on restart from the retained stream (embedded store)", async () => {
    const last = (await (await jetstreamManager(env.pipeline.nc)).streams.info(EVENTS_STREAM)).state.last_seq;
    expect(await js.projection.waitForSeq(last, 5_000)).toBe(true);
    const before = await js.client.listJobs({ tenantId: "acme", limit: 100 });
    expect(before.jobs.length).toBeGreaterThanOrEqual(3);
    const restarted = await serve(env); // a new memory store + projection, as after a process restart
    try {
      const after = await restarted.client.listJobs({ tenantId: "acme", limit: 100 });
      expect(after.jobs).toEqual(before.jobs);
      expect(restarted.projection.applied()).toBe(js.projection.applied());
    } finally {
      await restarted.stop();
    }
  });

  it("serves the standard gRPC health check", async () => {
    expect(await healthCheck(`127.0.0.1:${js.server.port}`)).toBe(1);
    expect(await healthCheck(`127.0.0.1:${js.server.port}`, "quire.v1.JobStoreService")).toBe(1);
    expect(await codeOf(healthCheck(`127.0.0.1:${js.server.port}`, "nope"))).toBe(status.NOT_FOUND);
  });
});
