import { EventType, JobKind, JobStatus, type JobRecord, type JobEvent } from "@quire/contracts";
import { describe, expect, it } from "vitest";
import { applyEvent } from "./projector.js";
import { accepted, ev } from "./store/events.fixture.js";

/** Folds events with seqs 1, 2, 3, … from nothing. */
function foldAll(...events: JobEvent[]): JobRecord | undefined {
  let state: JobRecord | undefined;
  events.forEach((e, i) => (state = applyEvent(state, e, i + 1) ?? state));
  return state;
}

const must = (job: JobRecord | undefined): JobRecord => {
  expect(job).toBeDefined();
  return job as JobRecord;
};

describe("applyEvent", () => {
  it("accepted creates a pending job with created_at = event time, metadata, deadline, kind and tenant", () => {
    const a = accepted("job_1", { timeUnixMs: 1_000, deadlineUnixMs: 9_000, kind: JobKind.SCHEMA, tenantId: "globex" });
    expect(applyEvent(undefined, a, 1)).toMatchObject({
      jobId: "job_1",
      tenantId: "globex",
      kind: JobKind.SCHEMA,
      status: JobStatus.PENDING,
      createdAtUnixMs: 1_000,
      updatedAtUnixMs: 1_000,
      metadataJson: '{"ref":"x"}',
      deadlineUnixMs: 9_000,
      seq: 1,
      completedAtUnixMs: 0,
      cancelRequested: false,
    });
  });

  it("ignores an event whose seq is not newer than the state's (duplicate or stale)", () => {
    const job = must(applyEvent(undefined, accepted("job_1"), 5));
    expect(applyEvent(job, ev("job_1", EventType.STARTED), 5)).toBeUndefined();
    expect(applyEvent(job, ev("job_1", EventType.STARTED), 4)).toBeUndefined();
  });

  it.each([EventType.STARTED, EventType.PROGRESS, EventType.STAGE_COMPLETED])("%s moves the job to processing", (type) => {
    const job = must(foldAll(accepted("job_1"), ev("job_1", type, { stage: "parse" })));
    expect(job.status).toBe(JobStatus.PROCESSING);
    expect(job.seq).toBe(2);
  });

  it("progress replaces the progress; started keeps the numbers and names its stage", () => {
    const job = must(
      foldAll(
        accepted("job_1"),
        ev("job_1", EventType.PROGRESS, { progress: { pct: 62.5, message: "page 4/4", stage: "parse" } }),
        ev("job_1", EventType.STARTED, { stage: "extract" }),
      ),
    );
    expect(job.progress).toMatchObject({ pct: 62.5, stage: "extract", message: "extract started" });
    const later = must(applyEvent(job, ev("job_1", EventType.PROGRESS, { progress: { pct: 80, message: "tables", stage: "extract" } }), 4));
    expect(later.progress).toMatchObject({ pct: 80, message: "tables", stage: "extract" });
  });

  it("progress never goes back: a redelivered stage's early pages keep the higher percent but show their message", () => {
    const job = must(
      foldAll(
        accepted("job_1"),
        ev("job_1", EventType.PROGRESS, { progress: { pct: 40, message: "page 4/10", stage: "parse" } }),
        ev("job_1", EventType.PROGRESS, { progress: { pct: 10, message: "page 1/10", stage: "parse" } }),
      ),
    );
    expect(job.progress).toMatchObject({ pct: 40, message: "page 1/10", stage: "parse" });
  });

  it("cancel_requested sets the flag without changing the status", () => {
    const job = must(foldAll(accepted("job_1"), ev("job_1", EventType.CANCEL_REQUESTED)));
    expect(job).toMatchObject({ status: JobStatus.PENDING, cancelRequested: true });
  });

  it("completed ends the job with completed_at and the result ref", () => {
    const job = must(foldAll(accepted("job_1"), ev("job_1", EventType.COMPLETED, { timeUnixMs: 7_000, resultRef: "acme/abc" })));
    expect(job).toMatchObject({ status: JobStatus.COMPLETED, completedAtUnixMs: 7_000, resultRef: "acme/abc" });
    expect(job.error).toBeUndefined();
  });

  it("failed ends the job with its error", () => {
    const job = must(
      foldAll(accepted("job_1"), ev("job_1", EventType.FAILED, { timeUnixMs: 7_000, error: { code: "INVALID_PDF", message: "bad xref" } })),
    );
    expect(job).toMatchObject({ status: JobStatus.FAILED, completedAtUnixMs: 7_000 });
    expect(job.error).toMatchObject({ code: "INVALID_PDF", message: "bad xref" });
  });

  it("failed or canceled without an error still explain themselves", () => {
    expect(must(foldAll(accepted("job_1"), ev("job_1", EventType.FAILED))).error?.code).toBe("INTERNAL");
    const canceled = must(foldAll(accepted("job_1"), ev("job_1", EventType.CANCELED)));
    expect(canceled).toMatchObject({ status: JobStatus.CANCELED, cancelRequested: true });
    expect(canceled.error?.code).toBe("CANCELED");
  });

  it("terminal states are absorbing: later events, terminal or not, only bump seq", () => {
    const done = must(foldAll(accepted("job_1"), ev("job_1", EventType.COMPLETED, { resultRef: "r" })));
    const after = [
      ev("job_1", EventType.PROGRESS, { progress: { pct: 5, message: "", stage: "parse" } }),
      ev("job_1", EventType.FAILED, { error: { code: "RETRIES_EXHAUSTED", message: "late" } }),
      ev("job_1", EventType.CANCEL_REQUESTED),
      accepted("job_1", { metadataJson: '{"other":1}' }),
    ];
    let state = done;
    after.forEach((e, i) => (state = must(applyEvent(state, e, 10 + i))));
    expect(state).toEqual({ ...done, seq: 13 });
  });

  it("an unknown job's non-accepted event creates a minimal job (its accepted may have expired)", () => {
    const job = must(
      applyEvent(undefined, ev("job_9", EventType.PROGRESS, { timeUnixMs: 3_000, progress: { pct: 10, message: "", stage: "parse" } }), 42),
    );
    expect(job).toMatchObject({
      jobId: "job_9",
      tenantId: "acme",
      status: JobStatus.PROCESSING,
      createdAtUnixMs: 3_000,
      seq: 42,
      metadataJson: "",
      deadlineUnixMs: 0,
    });
    const ended = must(applyEvent(undefined, ev("job_8", EventType.COMPLETED, { resultRef: "r" }), 7));
    expect(ended.status).toBe(JobStatus.COMPLETED);
  });

  it("a late accepted fills what a minimal job lacks, without moving it back to pending", () => {
    const minimal = must(applyEvent(undefined, ev("job_1", EventType.STARTED, { stage: "parse" }), 3));
    const job = must(applyEvent(minimal, accepted("job_1", { deadlineUnixMs: 99_000 }), 4));
    expect(job).toMatchObject({ status: JobStatus.PROCESSING, metadataJson: '{"ref":"x"}', deadlineUnixMs: 99_000 });
  });

  it("never lets an event of another tenant touch the job", () => {
    const job = must(applyEvent(undefined, accepted("job_1"), 1));
    expect(applyEvent(job, ev("job_1", EventType.COMPLETED, { tenantId: "globex" }), 2)).toBeUndefined();
  });

  it("ignores malformed events without a job or tenant id", () => {
    expect(applyEvent(undefined, ev("", EventType.ACCEPTED), 1)).toBeUndefined();
    expect(applyEvent(undefined, ev("job_1", EventType.ACCEPTED, { tenantId: "" }), 1)).toBeUndefined();
  });

  it("keeps updated_at monotonic when publishers' clocks disagree", () => {
    const job = must(foldAll(accepted("job_1", { timeUnixMs: 5_000 }), ev("job_1", EventType.STARTED, { timeUnixMs: 4_000 })));
    expect(job.updatedAtUnixMs).toBe(5_000);
  });

  it("an unknown (newer) event type only advances seq", () => {
    const job = must(applyEvent(undefined, accepted("job_1"), 1));
    expect(applyEvent(job, ev("job_1", 99 as EventType), 2)).toMatchObject({ status: JobStatus.PENDING, seq: 2 });
  });
});
