import { create, fromJson, type JsonObject, type JsonValue } from "@bufbuild/protobuf";
import { StructSchema, timestampFromMs, type Struct } from "@bufbuild/protobuf/wkt";
import { Server, type Metadata, type ServerUnaryCall, type ServerWritableStream, type UntypedServiceImplementation } from "@grpc/grpc-js";
import { loadFileDescriptorSetFromBuffer } from "@grpc/proto-loader";
import { ReflectionService } from "@grpc/reflection";
import {
  JobEventViewSchema,
  JobSchema,
  JobStatus,
  JobUpdateSchema,
  JobsService,
  ListJobsResponseSchema,
  ProcessResponseSchema,
  fileDescriptorSet,
  toGrpcDefinition,
  type CancelJobRequest,
  type GetExtractionRequest,
  type GetJobRequest,
  type Job,
  type JobEvent,
  type JobRecord,
  type JobUpdate,
  type ListJobsRequest,
  type ListJobsResponse,
  type ProcessRequest,
  type ProcessResponse,
  type WatchJobRequest,
} from "@quire/contracts";
import {
  ErrorCode,
  QuireError,
  SpanKind,
  addHealthService,
  contextFromHeaders,
  failedCall,
  inSpan,
  quireMetrics,
  serveGrpc,
  unaryHandler,
  type Logger,
  type Pipeline,
  type ServingGrpc,
} from "@quire/runtime";
import { authenticate, type ApiKey } from "./auth.js";
import { followJob, watchStart } from "./follow-job.js";
import { parseMetadata } from "./job-view.js";
import type { OperationName, Operations } from "./operations.js";

export interface GrpcApiDeps {
  apiKeys: readonly ApiKey[];
  ops: Operations;
  pipeline: Pipeline;
  logger: Logger;
  /** Largest upload accepted (QUIRE_MAX_FILE_BYTES); a request may be 1 MiB more. */
  maxFileBytes: number;
  /** Health: NOT_SERVING when this throws (shutdown, NATS or job-status unreachable). */
  probe(): Promise<void>;
  /** Aborted at shutdown: watches end (clients reconnect with after_seq). */
  signal: AbortSignal;
}

export type GrpcApi = ServingGrpc;

/** Results of long documents are large; a client can lower what it accepts. */
const MAX_SEND_BYTES = 256 * 1024 * 1024;
/** Fields of ProcessRequest that are its own, never in `options`. */
const OWN_FIELDS = ["file", "file_url", "file_id", "extraction_id", "async", "metadata", "webhook_url", "webhook_secret", "webhook_events"];

/**
 * quire.v1.JobsService, the gateway's gRPC API, plus grpc.health.v1 and server reflection (so
 * grpcurl works without the .proto files). Every call authenticates like REST (metadata
 * x-api-key or authorization: Bearer) and goes through the same operations.
 */
export async function startGrpcApi(address: string, deps: GrpcApiDeps): Promise<GrpcApi> {
  const server = new Server({
    "grpc.max_receive_message_length": deps.maxFileBytes + 1024 * 1024,
    "grpc.max_send_message_length": MAX_SEND_BYTES,
  });
  server.addService(toGrpcDefinition(JobsService), implementation(deps));
  addHealthService(server, [JobsService.typeName], deps.probe);
  const descriptors = loadFileDescriptorSetFromBuffer(Buffer.from(fileDescriptorSet(JobsService)));
  new ReflectionService(descriptors, { services: [JobsService.typeName] }).addToServer(server);
  return serveGrpc(server, address);
}

function implementation(deps: GrpcApiDeps): UntypedServiceImplementation {
  const { ops } = deps;
  const log = deps.logger.child({ component: "grpc" });

  /** Authenticates, runs `fn` in a server span of the caller's trace, and writes one line per call. */
  const unary = <Req, Res>(
    method: string,
    fn: (req: Req, tenant: string, call: ServerUnaryCall<Req, Res>, note: CallNote) => Promise<Res>,
  ) =>
    unaryHandler<Req, Res>(log, method, (req, call) =>
      traced(method, call.metadata, (note) => fn(req, tenantOf(deps.apiKeys, call.metadata), call, note)),
    );

  const traced = async <T>(method: string, md: Metadata, fn: (note: CallNote) => Promise<T>): Promise<T> => {
    const started = performance.now();
    const note: CallNote = {};
    return inSpan(
      `quire.v1.JobsService/${method}`,
      { "rpc.system": "grpc", "rpc.service": JobsService.typeName, "rpc.method": method },
      async () => {
        let code = "OK";
        try {
          return await fn(note);
        } catch (err) {
          code = QuireError.from(err).code;
          throw err;
        } finally {
          const ms = performance.now() - started;
          quireMetrics().rpcDuration.record(ms / 1000, { "rpc.method": method, "rpc.grpc.status_code": code });
          log.info({ method, code, ms: Math.round(ms), ...(note.jobId ? { jobId: note.jobId } : {}) }, "call");
        }
      },
      { parent: contextFromHeaders(metadataCarrier(md)), kind: SpanKind.SERVER },
    );
  };

  const processing = (operation: OperationName, method: string) =>
    unary(method, async (req: ProcessRequest, tenant, call, note): Promise<ProcessResponse> => {
      const out = await ops.process({
        tenant,
        operation,
        fields: fieldsOf(req),
        file: req.input.case === "file" ? new File([req.input.value], req.filename) : null,
        // deadline passed or client left: stop waiting, the job runs on
        idempotencyKey: req.idempotencyKey || undefined,
        signal: cancelledSignal(call),
        onJobId: (id) => (note.jobId = id),
      });
      return create(ProcessResponseSchema, {
        jobId: out.jobId,
        status: out.status,
        ...(out.result ? { result: out.result as JsonObject } : {}),
      });
    });

  return {
    extract: processing("extract", "Extract"),
    split: processing("split", "Split"),
    schema: processing("schema", "Schema"),
    getJob: unary("GetJob", async (req: GetJobRequest, tenant, _call, note): Promise<Job> => {
      note.jobId = req.jobId;
      const job = await ops.getJob(tenant, req.jobId);
      return toJob(job, await ops.resultOf(job));
    }),
    listJobs: unary("ListJobs", async (req: ListJobsRequest, tenant): Promise<ListJobsResponse> => {
      // job-status owns the limit's range and default (0 → 20, over 100 → INVALID_ARGUMENT).
      const res = await ops.listJobs(tenant, {
        limit: req.limit,
        cursor: req.cursor,
        status: req.status || undefined,
        kind: req.kind || undefined,
      });
      return create(ListJobsResponseSchema, { jobs: res.jobs.map((j) => toJob(j)), nextCursor: res.nextCursor });
    }),
    cancelJob: unary("CancelJob", async (req: CancelJobRequest, tenant, _call, note): Promise<Job> => {
      note.jobId = req.jobId;
      return toJob(await ops.cancelJob(tenant, req.jobId));
    }),
    getExtraction: unary("GetExtraction", async (req: GetExtractionRequest, tenant): Promise<Struct> =>
      structOf(await ops.getExtraction(tenant, req.extractionId)),
    ),
    watchJob: (call: ServerWritableStream<WatchJobRequest, JobUpdate>) => {
      traced("WatchJob", call.metadata, async (note) => {
        note.jobId = call.request.jobId;
        await watchJob(deps, tenantOf(deps.apiKeys, call.metadata), call);
      }).then(
        () => call.end(),
        (err: unknown) => call.emit("error", failedCall(log, "WatchJob", err)),
      );
    },
  };
}

interface CallNote {
  jobId?: string;
}

/**
 * The job as it stands (unless resuming), then its events from the stream, in order, until the
 * terminal one. The state is read first and the events are read from the stream position after
 * it (or after the caller's after_seq), so nothing falls between the two.
 */
async function watchJob(deps: GrpcApiDeps, tenant: string, call: ServerWritableStream<WatchJobRequest, JobUpdate>): Promise<void> {
  const job = await deps.ops.getJob(tenant, call.request.jobId);
  const { sendState, from } = watchStart(job, Number(call.request.afterSeq));
  if (sendState)
    await write(
      call,
      create(JobUpdateSchema, { seq: BigInt(job.seq), update: { case: "job", value: toJob(job, await deps.ops.resultOf(job)) } }),
    );
  if (from === null) return;
  const signal = AbortSignal.any([cancelledSignal(call), deps.signal]);
  for await (const { seq, event } of followJob(deps.pipeline.nc, job.jobId, from, signal))
    await write(call, create(JobUpdateSchema, { seq: BigInt(seq), update: { case: "event", value: eventView(event) } }));
}

/** Aborts when the call is cancelled: its deadline passed or the client went away. */
function cancelledSignal(call: { on(event: "cancelled", fn: () => void): unknown }): AbortSignal {
  const gone = new AbortController();
  call.on("cancelled", () => gone.abort());
  return gone.signal;
}

/** Writes one message, waiting for the client to drain when its window is full. */
function write<T>(call: ServerWritableStream<unknown, T>, msg: T): Promise<void> {
  return new Promise((resolve) => (call.write(msg) ? resolve() : call.once("drain", () => resolve())));
}

function tenantOf(keys: readonly ApiKey[], md: Metadata): string {
  const tenant = authenticate(keys, { get: (n) => md.get(n)[0]?.toString() });
  if (!tenant)
    throw new QuireError(
      ErrorCode.Unauthenticated,
      "missing or invalid API key: send metadata x-api-key: KEY or authorization: Bearer KEY",
    );
  return tenant;
}

function metadataCarrier(md: Metadata) {
  return { get: (k: string) => md.get(k)[0]?.toString(), keys: () => Object.keys(md.getMap()) };
}

/** The request as the REST body's fields, so the one validation applies. */
function fieldsOf(req: ProcessRequest): Record<string, unknown> {
  const options: Record<string, unknown> = req.options ?? {};
  for (const k of OWN_FIELDS)
    if (k in options) throw new QuireError(ErrorCode.InvalidArgument, `options.${k}: set ${k} as a field of the request, not in options`);
  const fields: Record<string, unknown> = { ...options, async: req.async };
  if (req.input.case && req.input.case !== "file") fields[snake(req.input.case)] = req.input.value;
  if (req.metadata) fields.metadata = req.metadata;
  if (req.webhookUrl) fields.webhook_url = req.webhookUrl;
  if (req.webhookSecret) fields.webhook_secret = req.webhookSecret;
  if (req.webhookEvents.length > 0) fields.webhook_events = req.webhookEvents;
  return fields;
}

const snake = (s: string): string => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** A top-level Struct message (a message field of type Struct is a plain JsonObject in protobuf-es). */
const structOf = (v: unknown): Struct => fromJson(StructSchema, v as JsonValue);

/** A job record → the public Job message (the REST job view's fields). */
export function toJob(job: JobRecord, result?: Record<string, unknown>): Job {
  return create(JobSchema, {
    jobId: job.jobId,
    kind: job.kind,
    status: job.status,
    progress: job.progress ?? { pct: job.status === JobStatus.COMPLETED ? 100 : 0 },
    createdAt: timestampFromMs(job.createdAtUnixMs),
    updatedAt: timestampFromMs(job.updatedAtUnixMs || job.createdAtUnixMs),
    ...(job.completedAtUnixMs ? { completedAt: timestampFromMs(job.completedAtUnixMs) } : {}),
    metadata: parseMetadata(job.metadataJson) as JsonObject,
    ...(job.error?.code ? { error: job.error } : {}),
    ...(result ? { result: result as JsonObject } : {}),
    traceId: job.traceId,
    seq: BigInt(job.seq),
  });
}

function eventView(ev: JobEvent) {
  return create(JobEventViewSchema, {
    type: ev.type,
    time: timestampFromMs(ev.timeUnixMs),
    stage: ev.stage,
    ...(ev.progress ? { progress: ev.progress } : {}),
    ...(ev.error?.code ? { error: ev.error } : {}),
  });
}
