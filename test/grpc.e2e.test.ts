import { createRequire } from "node:module";
import { create, toJson } from "@bufbuild/protobuf";
import { StructSchema, type Struct } from "@bufbuild/protobuf/wkt";
import {
  EventType,
  JobKind,
  JobStatus,
  JobsService,
  ProcessRequestSchema,
  toGrpcDefinition,
  type Job,
  type JobUpdate,
  type ListJobsResponse,
  type ProcessResponse,
} from "@quire/contracts";
import { healthDefinition } from "@quire/runtime";
import { credentials, loadPackageDefinition, makeGenericClientConstructor, Metadata, status, type ServiceError } from "@grpc/grpc-js";
import { loadSync } from "@grpc/proto-loader";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "@quire/runtime/testing";
import { contractDoc, makeBundle, makePdf, statementDoc } from "./fixtures.js";
import { startStack, TENANTS, type Stack } from "./harness.js";
import { readJobEvents } from "./events.js";

type Cb<T> = (err: ServiceError | null, res: T) => void;
type Unary<Req, Res> = (req: Req, md: Metadata, opts: { deadline?: number }, cb: Cb<Res>) => void;
interface Stream<T> {
  on(ev: "data", fn: (m: T) => void): Stream<T>;
  on(ev: "end", fn: () => void): Stream<T>;
  on(ev: "error", fn: (e: ServiceError) => void): Stream<T>;
  cancel(): void;
}
interface RawClient {
  extract: Unary<unknown, ProcessResponse>;
  split: Unary<unknown, ProcessResponse>;
  schema: Unary<unknown, ProcessResponse>;
  getJob: Unary<unknown, Job>;
  listJobs: Unary<unknown, ListJobsResponse>;
  cancelJob: Unary<unknown, Job>;
  getExtraction: Unary<unknown, unknown>;
  watchJob(req: unknown, md: Metadata): Stream<JobUpdate>;
  close(): void;
}

/** A @grpc/grpc-js client of quire.v1.JobsService, built from the same generated protos as the server. */
function jobsClient(address: string) {
  const Ctor = makeGenericClientConstructor(toGrpcDefinition(JobsService), "JobsService");
  const raw = new Ctor(address, credentials.createInsecure()) as unknown as RawClient;
  const auth = (key: string | null = TENANTS.acme) => {
    const md = new Metadata();
    if (key) md.set("x-api-key", key);
    return md;
  };
  const call = <Res>(fn: Unary<unknown, Res>, req: unknown, opts: { key?: string | null; deadlineMs?: number } = {}) =>
    new Promise<Res>((resolve, reject) =>
      fn.call(raw, req, auth(opts.key), opts.deadlineMs ? { deadline: Date.now() + opts.deadlineMs } : {}, (err, res) =>
        err ? reject(err) : resolve(res),
      ),
    );
  const process = (
    op: "extract" | "split" | "schema",
    req: MessageInitShape<typeof ProcessRequestSchema>,
    opts?: { key?: string | null; deadlineMs?: number },
  ) => call(raw[op], create(ProcessRequestSchema, req), opts);
  /** Every update of a watch until the server ends the stream. */
  const watch = (jobId: string, afterSeq = 0n, key: string | null = TENANTS.acme) =>
    new Promise<JobUpdate[]>((resolve, reject) => {
      const out: JobUpdate[] = [];
      raw
        .watchJob({ jobId, afterSeq }, auth(key))
        .on("data", (m) => out.push(m))
        .on("end", () => resolve(out))
        .on("error", reject);
    });
  return {
    process,
    watch,
    getJob: (jobId: string, key?: string | null) => call(raw.getJob, { jobId }, { key }),
    listJobs: (req: object = {}) => call(raw.listJobs, req),
    cancelJob: (jobId: string, key?: string | null) => call(raw.cancelJob, { jobId }, { key }),
    getExtraction: (extractionId: string, key?: string | null) => call(raw.getExtraction, { extractionId }, { key }),
    close: () => raw.close(),
  };
}

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => "resolved",
    (e: ServiceError) => e.code,
  );

const SECTIONS = {
  split_config: {
    split_input: [
      { name: "bank statement", description: "account statement: balance, transactions, IBAN" },
      { name: "contract", description: "agreement between parties: terms, termination, governing law" },
    ],
  },
};

describe("gRPC JobsService on the gateway", () => {
  let stack: Stack;
  let client: ReturnType<typeof jobsClient>;
  beforeAll(async () => {
    stack = await startStack();
    client = jobsClient(stack.grpcAddress);
  });
  afterAll(async () => {
    client?.close();
    await stack?.stop();
  });

  it("extracts a document sent as bytes and waits for the result, like a sync REST call", async () => {
    const res = await client.process("extract", {
      input: { case: "file", value: await makePdf(2) },
      filename: "two.pdf",
      options: { pages: "1" },
    });
    expect(res.status).toBe(JobStatus.COMPLETED);
    const result = res.result as { pages: Array<{ page_number: number }>; markdown: string; extraction_id: string };
    expect(result.pages.map((p) => p.page_number)).toEqual([1]);
    expect(result.markdown).toContain("Introduction");
    const job = await client.getJob(res.jobId);
    expect(job).toMatchObject({ jobId: res.jobId, kind: JobKind.EXTRACT, status: JobStatus.COMPLETED });
    expect(job.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect((job.result as { extraction_id: string }).extraction_id).toBe(result.extraction_id);
    const extraction = toJson(StructSchema, (await client.getExtraction(result.extraction_id)) as Struct) as { markdown: string };
    expect(extraction.markdown).toBe(result.markdown);
  });

  it("watches a split job from submission to its end: the state, then every event in order, then the stream ends", async () => {
    const bundle = await makeBundle([statementDoc(2), contractDoc(3)]);
    const sub = await client.process("split", {
      input: { case: "file", value: bundle },
      options: SECTIONS,
      async: true,
      metadata: { ref: "grpc-1" },
    });
    expect(sub.status).toBe(JobStatus.PENDING);
    const updates = await client.watch(sub.jobId);
    expect(updates[0]?.update.case).toBe("job");
    const events = updates.slice(1).map((u) => (u.update.case === "event" ? u.update.value.type : EventType.UNSPECIFIED));
    expect(events.at(-1)).toBe(EventType.COMPLETED);
    expect(events.filter((t) => t === EventType.COMPLETED || t === EventType.FAILED || t === EventType.CANCELED)).toHaveLength(1);
    const seqs = updates.map((u) => Number(u.seq));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs.slice(1)).size).toBe(seqs.length - 1);
    // The stream holds every event after the first state, as the event stream has them.
    const stored = await readJobEvents(stack.nats.url, sub.jobId);
    expect(stored.slice(-events.length).map((e) => e.type)).toEqual(events.map((t) => EventType[t].toLowerCase()));
    // A client that reconnects with the last seq it saw gets exactly the rest.
    const cut = updates[2]!;
    const resumed = await client.watch(sub.jobId, cut.seq);
    expect(resumed.map((u) => u.seq)).toEqual(updates.slice(3).map((u) => u.seq));
    const job = await client.getJob(sub.jobId);
    expect(job.metadata).toEqual({ ref: "grpc-1" });
    const sections = (job.result as { splits: Array<{ name: string; pages: number[] }> }).splits;
    expect(sections.map((s) => [s.name, s.pages])).toEqual([
      ["bank statement", [1, 2]],
      ["contract", [3, 4, 5]],
    ]);
    // A watch of an ended job is its state alone.
    const after = await client.watch(sub.jobId);
    expect(after.map((u) => u.update.case)).toEqual(["job"]);
  });

  it("cancels a running job: it ends canceled, once, and a second cancel is FAILED_PRECONDITION", async () => {
    const big = await makeBundle(Array.from({ length: 12 }, (_, i) => (i % 2 ? contractDoc(3) : statementDoc(3))));
    const sub = await client.process("split", { input: { case: "file", value: big }, options: SECTIONS, async: true });
    const canceled = await client.cancelJob(sub.jobId);
    expect(canceled.status).toBe(JobStatus.CANCELED);
    expect((await client.getJob(sub.jobId)).status).toBe(JobStatus.CANCELED);
    expect(await codeOf(client.cancelJob(sub.jobId))).toBe(status.FAILED_PRECONDITION);
    await new Promise((r) => setTimeout(r, 1_000)); // any stage still running drops the work
    const events = await readJobEvents(stack.nats.url, sub.jobId);
    expect(events.filter((e) => ["completed", "failed", "canceled"].includes(e.type)).map((e) => e.type)).toEqual(["canceled"]);
  });

  it("keeps tenants apart and refuses a missing or wrong key", async () => {
    const mine = await client.process("extract", { input: { case: "file", value: await makePdf(1) }, async: true });
    expect(await codeOf(client.getJob(mine.jobId, TENANTS.globex))).toBe(status.NOT_FOUND);
    expect(await codeOf(client.cancelJob(mine.jobId, TENANTS.globex))).toBe(status.NOT_FOUND);
    expect(await codeOf(client.watch(mine.jobId, 0n, TENANTS.globex))).toBe(status.NOT_FOUND);
    expect((await client.listJobs({})).jobs.map((j) => j.jobId)).toContain(mine.jobId);
    const theirs = await new Promise<ListJobsResponse>((resolve, reject) => {
      const Ctor = makeGenericClientConstructor(toGrpcDefinition(JobsService), "JobsService");
      const raw = new Ctor(stack.grpcAddress, credentials.createInsecure()) as unknown as RawClient;
      const md = new Metadata();
      md.set("authorization", `Bearer ${TENANTS.globex}`);
      raw.listJobs({}, md, {}, (err, res) => (raw.close(), err ? reject(err) : resolve(res)));
    });
    expect(theirs.jobs.map((j) => j.jobId)).not.toContain(mine.jobId);
    expect(await codeOf(client.getJob(mine.jobId, "not-a-key-of-anyone-at-all"))).toBe(status.UNAUTHENTICATED);
    expect(await codeOf(client.process("extract", { input: { case: "file", value: await makePdf(1) } }, { key: null }))).toBe(
      status.UNAUTHENTICATED,
    );
  });

  it("answers bad input with INVALID_ARGUMENT naming the field, and the Quire code in the trailers", async () => {
    const err = await client
      .process("split", { input: { case: "file", value: await makePdf(1) }, options: { split_config: { split_input: [] } } })
      .then(
        () => null,
        (e: ServiceError) => e,
      );
    expect(err?.code).toBe(status.INVALID_ARGUMENT);
    expect(err?.details).toMatch(/split_config\.split_input/);
    expect(err?.metadata.get("quire-error-code")).toEqual(["INVALID_ARGUMENT"]);
    const own = await client.process("extract", { input: { case: "file", value: await makePdf(1) }, options: { async: true } }).then(
      () => null,
      (e: ServiceError) => e,
    );
    expect(own?.details).toMatch(/options\.async/);
    const schema = await client
      .process("schema", {
        input: { case: "file", value: await makePdf(1) },
        options: { schema_config: { input_schema: { type: "object", properties: { a: { type: "strnig" } } } } },
      })
      .then(
        () => null,
        (e: ServiceError) => e,
      );
    expect(schema?.code).toBe(status.INVALID_ARGUMENT);
    expect(schema?.metadata.get("quire-error-code")).toEqual(["INVALID_SCHEMA"]);
    expect(await codeOf(client.process("extract", { input: { case: "fileId", value: `file_${"0".repeat(64)}` } }))).toBe(status.NOT_FOUND);
    expect(await codeOf(client.getJob("job_nope"))).toBe(status.NOT_FOUND);
  });

  it("honours the call's deadline: DEADLINE_EXCEEDED, and the job still ends; the same idempotency key then answers it", async () => {
    const big = await makePdf(60, 12);
    const req = { input: { case: "file" as const, value: big }, idempotencyKey: "grpc-deadline-1" };
    expect(await codeOf(client.process("extract", req, { deadlineMs: 150 }))).toBe(status.DEADLINE_EXCEEDED);
    // The retry names the first call's job (no second job), which runs to its end.
    const again = await client.process("extract", req, { deadlineMs: 60_000 });
    const ended = await waitFor(
      "the job to end",
      async () => {
        const j = await client.getJob(again.jobId);
        return j.status === JobStatus.COMPLETED || j.status === JobStatus.FAILED ? j : undefined;
      },
      { timeoutMs: 60_000 },
    );
    expect(ended.status).toBe(JobStatus.COMPLETED);
    expect((ended.result as { pages: unknown[] }).pages).toHaveLength(60);
    const listed = await client.listJobs({ kind: JobKind.EXTRACT, limit: 100 });
    expect(listed.jobs.filter((j) => j.jobId === again.jobId).map((j) => j.status)).toEqual([JobStatus.COMPLETED]);
  });

  it("serves grpc.health.v1 and server reflection, as grpcurl uses them", async () => {
    const Health = makeGenericClientConstructor(healthDefinition, "Health");
    const health = new Health(stack.grpcAddress, credentials.createInsecure()) as unknown as {
      check: (r: unknown, cb: Cb<{ status: number }>) => void;
      close(): void;
    };
    const served = (service: string) =>
      new Promise<number>((resolve, reject) => health.check({ service }, (e, r) => (e ? reject(e) : resolve(r.status))));
    expect(await served("")).toBe(1);
    expect(await served("quire.v1.JobsService")).toBe(1);
    health.close();

    const require = createRequire(import.meta.url);
    const protoPath = require.resolve("@grpc/reflection/build/proto/grpc/reflection/v1/reflection.proto");
    const pkg = loadPackageDefinition(loadSync(protoPath, { keepCase: true })) as unknown as {
      grpc: {
        reflection: {
          v1: {
            ServerReflection: new (
              a: string,
              c: ReturnType<typeof credentials.createInsecure>,
            ) => { ServerReflectionInfo(): ReflectionCall; close(): void };
          };
        };
      };
    };
    const reflection = new pkg.grpc.reflection.v1.ServerReflection(stack.grpcAddress, credentials.createInsecure());
    const ask = (req: object) =>
      new Promise<Record<string, unknown>>((resolve, reject) => {
        const call = reflection.ServerReflectionInfo();
        call.on("data", (m: Record<string, unknown>) => {
          resolve(m);
          call.end();
        });
        call.on("error", reject);
        call.write(req);
      });
    const list = (await ask({ list_services: "" })) as { list_services_response: { service: Array<{ name: string }> } };
    expect(list.list_services_response.service.map((s) => s.name)).toContain("quire.v1.JobsService");
    const file = (await ask({ file_containing_symbol: "quire.v1.JobsService" })) as {
      file_descriptor_response?: { file_descriptor_proto: Buffer[] };
    };
    expect(file.file_descriptor_response?.file_descriptor_proto.length).toBeGreaterThan(0);
    reflection.close();
  });

  it("logs one line per call with its method, code and job id", async () => {
    const sub = await client.process("extract", { input: { case: "file", value: await makePdf(1) }, async: true });
    const line = await waitFor("the call's log line", () =>
      stack.logs("gateway").find((l) => l.includes('"msg":"call"') && l.includes(sub.jobId)),
    );
    expect(JSON.parse(line)).toMatchObject({ method: "Extract", code: "OK", jobId: sub.jobId });
  });
});

interface ReflectionCall {
  on(ev: "data", fn: (m: Record<string, unknown>) => void): void;
  on(ev: "error", fn: (e: Error) => void): void;
  write(m: object): void;
  end(): void;
}
