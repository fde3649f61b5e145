import { create } from "@bufbuild/protobuf";
import { JobErrorSchema, JobKind, JobRecordSchema, JobStatus } from "@quire/contracts";
import { describe, expect, it } from "vitest";
import { fromDoc, toDoc } from "./mongo-doc.js";
import { dbNameOf } from "./mongo-job-store.js";

// These run without a server: the document mapping and URI handling of the Mongo store.
describe("mongo store documents", () => {
  const running = create(JobRecordSchema, {
    jobId: "job_1",
    tenantId: "acme",
    kind: JobKind.EXTRACT,
    status: JobStatus.PROCESSING,
    createdAtUnixMs: 1_000,
    updatedAtUnixMs: 2_000,
    progress: { pct: 30, message: "page 3/10", stage: "parse" },
    metadataJson: '{"a":1}',
    seq: 7,
    deadlineUnixMs: 9_000,
  });

  it("round-trips a job, and a running job has no expireAt (it never expires)", () => {
    const doc = toDoc(running, 60_000);
    expect(doc).not.toHaveProperty("expireAt");
    expect(fromDoc({ _id: "job_1", ...doc })).toEqual(running);
  });

  it("gives an ended job expireAt = completedAt + retention, as a Date for the TTL index", () => {
    const ended = {
      ...running,
      status: JobStatus.FAILED,
      completedAtUnixMs: 5_000,
      error: create(JobErrorSchema, { code: "JOB_TIMEOUT", message: "late" }),
    };
    const doc = toDoc(ended, 60_000);
    expect(doc.expireAt).toEqual(new Date(65_000));
    expect(fromDoc({ _id: "job_1", ...doc }).error?.code).toBe("JOB_TIMEOUT");
  });

  it("takes the database from the URI path, else quire", () => {
    expect(dbNameOf("mongodb://mongo:27017/quire_prod?retryWrites=true")).toBe("quire_prod");
    expect(dbNameOf("mongodb+srv://u:p@cluster.example.net/jobs")).toBe("jobs");
    expect(dbNameOf("mongodb://h1:27017,h2:27017/?replicaSet=rs0")).toBe("quire");
    expect(dbNameOf("mongodb://localhost:27017")).toBe("quire");
  });
});
