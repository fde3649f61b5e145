import { EventType, JobKind, JobStatus, type JobRecord } from "@quire/contracts";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { accepted, ev } from "./events.fixture.js";
import type { JobStore, ListQuery } from "./job-store.js";

export const RETENTION_MS = 3_600_000;
type Describe = typeof describe | typeof describe.skip;

/**
 * The behaviour every JobStore must have. Each implementation's test file calls this once;
 * `open` returns a fresh, empty store opened with { retentionMs: RETENTION_MS }.
 */
export function jobStoreContract(name: string, open: () => Promise<JobStore>, suite: Describe = describe): void {
  suite(`JobStore contract: ${name}`, () => {
    let store: JobStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    const must = async (tenant: string, id: string): Promise<JobRecord> => {
      const job = await store.get(tenant, id);
      expect(job, `job ${id} of ${tenant}`).not.toBeNull();
      return job as JobRecord;
    };

    it("creates a pending job from accepted, with its metadata, deadline and kind", async () => {
      const a = accepted("job_a", { kind: JobKind.SPLIT, timeUnixMs: 1_000_000 });
      expect(await store.apply(a, 1)).toBe(true);
      const job = await must("acme", "job_a");
      expect(job).toMatchObject({ status: JobStatus.PENDING, kind: JobKind.SPLIT, createdAtUnixMs: 1_000_000, seq: 1 });
      expect(job.metadataJson).toBe('{"ref":"x"}');
      expect(job.deadlineUnixMs).toBe(a.deadlineUnixMs);
    });

    it("is idempotent: a redelivered event changes nothing", async () => {
      await store.apply(accepted("job_a"), 1);
      const progress = ev("job_a", EventType.PROGRESS, { progress: { pct: 40, message: "page 2/5", stage: "parse" } });
      expect(await store.apply(progress, 2)).toBe(true);
      const before = await must("acme", "job_a");
      expect(await store.apply(progress, 2)).toBe(false);
      expect(await must("acme", "job_a")).toEqual(before);
      expect(before).toMatchObject({ status: JobStatus.PROCESSING, seq: 2 });
      expect(before.progress?.pct).toBe(40);
    });

    it("ignores a stale event (older stream seq than the stored one)", async () => {
      await store.apply(accepted("job_a"), 1);
      await store.apply(ev("job_a", EventType.PROGRESS, { progress: { pct: 80, message: "", stage: "parse" } }), 5);
      expect(await store.apply(ev("job_a", EventType.PROGRESS, { progress: { pct: 20, message: "", stage: "parse" } }), 4)).toBe(false);
      const job = await must("acme", "job_a");
      expect(job.progress?.pct).toBe(80);
      expect(job.seq).toBe(5);
    });

    it("keeps terminal states absorbing: later events only bump seq", async () => {
      await store.apply(accepted("job_a"), 1);
      await store.apply(ev("job_a", EventType.COMPLETED, { resultRef: "acme/r1", timeUnixMs: Date.now() }), 2);
      await store.apply(ev("job_a", EventType.PROGRESS, { progress: { pct: 10, message: "", stage: "parse" } }), 3);
      await store.apply(ev("job_a", EventType.FAILED, { error: { code: "INTERNAL", message: "late" } }), 4);
      const job = await must("acme", "job_a");
      expect(job).toMatchObject({ status: JobStatus.COMPLETED, resultRef: "acme/r1", seq: 4 });
      expect(job.error).toBeUndefined();
      expect(job.completedAtUnixMs).toBeGreaterThan(0);
    });

    it("isolates tenants: another tenant's job is neither found nor listed nor taken over", async () => {
      await store.apply(accepted("job_a"), 1);
      expect(await store.get("globex", "job_a")).toBeNull();
      expect((await store.list({ tenantId: "globex", limit: 10 })).jobs).toEqual([]);
      expect(await store.apply(ev("job_a", EventType.FAILED, { tenantId: "globex" }), 2)).toBe(false);
      expect((await must("acme", "job_a")).status).toBe(JobStatus.PENDING);
    });

    it("creates a minimal job from a non-accepted event whose accepted is gone", async () => {
      await store.apply(ev("job_m", EventType.PROGRESS, { progress: { pct: 50, message: "", stage: "parse" }, timeUnixMs: 5_000 }), 9);
      const job = await must("acme", "job_m");
      expect(job).toMatchObject({ status: JobStatus.PROCESSING, createdAtUnixMs: 5_000, seq: 9, metadataJson: "" });
    });

    it("lists newest first and filters by status and kind", async () => {
      await store.apply(accepted("job_1", { timeUnixMs: 1_000, kind: JobKind.EXTRACT }), 1);
      await store.apply(accepted("job_2", { timeUnixMs: 2_000, kind: JobKind.SCHEMA }), 2);
      await store.apply(accepted("job_3", { timeUnixMs: 3_000, kind: JobKind.EXTRACT }), 3);
      await store.apply(ev("job_2", EventType.STARTED, { stage: "parse", kind: JobKind.SCHEMA }), 4);
      const ids = async (q: Omit<ListQuery, "tenantId" | "limit">) =>
        (await store.list({ tenantId: "acme", limit: 10, ...q })).jobs.map((j) => j.jobId);
      expect(await ids({})).toEqual(["job_3", "job_2", "job_1"]);
      expect(await ids({ status: JobStatus.PENDING })).toEqual(["job_3", "job_1"]);
      expect(await ids({ status: JobStatus.PROCESSING })).toEqual(["job_2"]);
      expect(await ids({ kind: JobKind.EXTRACT })).toEqual(["job_3", "job_1"]);
      expect(await ids({ kind: JobKind.SCHEMA, status: JobStatus.PENDING })).toEqual([]);
      expect(await ids({ status: JobStatus.UNSPECIFIED, kind: JobKind.UNSPECIFIED })).toHaveLength(3);
    });

    it("paginates with a cursor without duplicates or gaps, even across equal timestamps", async () => {
      const expected: string[] = [];
      for (let i = 0; i < 23; i++) {
        const id = `job_${String(i).padStart(2, "0")}`;
        await store.apply(accepted(id, { timeUnixMs: 10_000 + Math.floor(i / 3) }), i + 1); // triples share a time
        expected.push(id);
      }
      await store.apply(accepted("job_other", { tenantId: "globex", timeUnixMs: 10_003 }), 100);
      const seen: string[] = [];
      let cursor = "";
      for (let pages = 0; pages < 20; pages++) {
        const page = await store.list({ tenantId: "acme", limit: 4, cursor });
        seen.push(...page.jobs.map((j) => j.jobId));
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      expect(seen).toEqual(expected.reverse());
      const exact = await store.list({ tenantId: "acme", limit: 23 });
      expect(exact.jobs).toHaveLength(23);
      expect(exact.nextCursor).toBe("");
    });

    it("rejects a cursor it did not issue", async () => {
      await expect(store.list({ tenantId: "acme", limit: 5, cursor: "not-a-cursor" })).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    });

    it("reports the highest seq handed to apply as its checkpoint", async () => {
      expect(await store.checkpoint()).toBe(0);
      await store.apply(accepted("job_a"), 3);
      await store.apply(accepted("job_b"), 7);
      await store.apply(ev("job_a", EventType.STARTED), 2); // stale, still seen
      expect(await store.checkpoint()).toBe(7);
    });

    it("finds overdue jobs: not ended, past their deadline, any tenant, oldest deadline first", async () => {
      const now = Date.now();
      await store.apply(accepted("job_late2", { deadlineUnixMs: now - 1_000 }), 1);
      await store.apply(accepted("job_late1", { deadlineUnixMs: now - 5_000, tenantId: "globex" }), 2);
      await store.apply(accepted("job_future", { deadlineUnixMs: now + 60_000 }), 3);
      await store.apply(accepted("job_nodeadline", { deadlineUnixMs: 0 }), 4);
      await store.apply(accepted("job_done", { deadlineUnixMs: now - 9_000 }), 5);
      await store.apply(ev("job_done", EventType.COMPLETED, { resultRef: "r" }), 6);
      expect((await store.overdue(now, 10)).map((j) => j.jobId)).toEqual(["job_late1", "job_late2"]);
      expect((await store.overdue(now, 1)).map((j) => j.jobId)).toEqual(["job_late1"]);
    });

    it("stops showing an ended job once its retention has passed", async () => {
      const longAgo = Date.now() - 2 * RETENTION_MS;
      await store.apply(accepted("job_old", { timeUnixMs: longAgo }), 1);
      await store.apply(ev("job_old", EventType.FAILED, { timeUnixMs: longAgo + 1, error: { code: "INVALID_PDF", message: "x" } }), 2);
      await store.apply(accepted("job_new"), 3);
      await store.apply(ev("job_new", EventType.CANCELED), 4);
      expect(await store.get("acme", "job_old")).toBeNull();
      expect((await store.list({ tenantId: "acme", limit: 10 })).jobs.map((j) => j.jobId)).toEqual(["job_new"]);
      expect((await must("acme", "job_new")).status).toBe(JobStatus.CANCELED);
    });

    it("answers ping while open", async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
