import { create } from "@bufbuild/protobuf";
import {
  DescribeJobStoreResponseSchema,
  GetJobRecordResponseSchema,
  JobStoreService,
  ListJobRecordsResponseSchema,
  toGrpcDefinition,
  type DescribeJobStoreResponse,
  type GetJobRecordRequest,
  type GetJobRecordResponse,
  type JobRecord,
  type ListJobRecordsRequest,
  type ListJobRecordsResponse,
} from "@quire/contracts";
import {
  EVENTS_STREAM,
  ErrorCode,
  QuireError,
  addHealthService,
  eventSubject,
  serveGrpc,
  type ServingGrpc,
  unaryHandler as unary,
  type Logger,
} from "@quire/runtime";
import { Server, type UntypedServiceImplementation } from "@grpc/grpc-js";
import type { JetStreamManager } from "@nats-io/jetstream";
import type { Projection } from "./projection.js";
import type { JobStore } from "./store/job-store.js";

export interface GrpcServerDeps {
  store: JobStore;
  projection: Pick<Projection, "waitForSeq">;
  /** Reads the last event of a job straight from the stream (the read-your-write path). */
  jsm: JetStreamManager;
  logger: Logger;
  /** How long GetJob waits for the projection to apply an event already in the stream. @default 3_000 */
  catchUpWaitMs?: number;
}

export type JobsGrpcServer = ServingGrpc;

export const DEFAULT_LIST_LIMIT = 20;
export const MAX_LIST_LIMIT = 100;
/** JobRecord ids travel as one NATS subject token; anything else cannot name a job. */
const JOB_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** Serves JobStoreService (GetJobRecord, ListJobRecords) and grpc.health.v1.Health on `address` ("host:port"). */
export async function startGrpcServer(address: string, deps: GrpcServerDeps): Promise<JobsGrpcServer> {
  const server = new Server();
  server.addService(toGrpcDefinition(JobStoreService), jobsImplementation(deps));
  addHealthService(server, [JobStoreService.typeName], () => deps.store.ping());
  const serving = await serveGrpc(server, address);
  deps.logger.info({ address, port: serving.port }, "gRPC JobStoreService listening");
  return serving;
}

function jobsImplementation(deps: GrpcServerDeps): UntypedServiceImplementation {
  const log = deps.logger.child({ component: "grpc" });
  return {
    getJobRecord: unary(log, "GetJobRecord", async (req: GetJobRecordRequest): Promise<GetJobRecordResponse> => {
      const job = await getJob(deps, req);
      return create(GetJobRecordResponseSchema, { job });
    }),
    listJobRecords: unary(log, "ListJobRecords", async (req: ListJobRecordsRequest): Promise<ListJobRecordsResponse> => {
      if (!req.tenantId) throw new QuireError(ErrorCode.InvalidArgument, "tenant_id is required");
      const limit = req.limit === 0 ? DEFAULT_LIST_LIMIT : req.limit;
      if (limit > MAX_LIST_LIMIT) throw new QuireError(ErrorCode.InvalidArgument, `limit must be 1..${MAX_LIST_LIMIT}`);
      const page = await deps.store.list({ tenantId: req.tenantId, status: req.status, kind: req.kind, limit, cursor: req.cursor });
      return create(ListJobRecordsResponseSchema, { jobs: page.jobs, nextCursor: page.nextCursor });
    }),
    describeJobStore: unary(log, "DescribeJobStore", async (): Promise<DescribeJobStoreResponse> => {
      const info = await deps.jsm.streams.info(EVENTS_STREAM).catch((err: unknown) => {
        throw new QuireError(ErrorCode.Unavailable, "cannot read the event stream; retry shortly", {}, { cause: err });
      });
      return create(DescribeJobStoreResponseSchema, { eventsStreamCreated: info.created });
    }),
  };
}

/**
 * A miss is not yet a 404: the gateway answers 202 right after publishing `accepted`, so a
 * client's first GetJob can beat the projection. If the job's subject has an event in the
 * stream, wait (bounded) until the projection has applied it, then look again. A job of
 * another tenant also has events, so after the wait it is still "not found" for this tenant.
 */
async function getJob(deps: GrpcServerDeps, req: GetJobRecordRequest): Promise<JobRecord> {
  if (!req.tenantId || !req.jobId) throw new QuireError(ErrorCode.InvalidArgument, "tenant_id and job_id are required");
  const notFound = () => new QuireError(ErrorCode.NotFound, `job ${req.jobId.slice(0, 80)} not found`);
  if (req.minSeq > 0) await deps.projection.waitForSeq(req.minSeq, deps.catchUpWaitMs ?? 3_000);
  const hit = await deps.store.get(req.tenantId, req.jobId);
  if (hit) return hit;
  if (!JOB_ID.test(req.jobId)) throw notFound();
  const last = await lastEventOf(deps.jsm, req.jobId);
  if (!last) throw notFound();
  const caughtUp = await deps.projection.waitForSeq(last.seq, deps.catchUpWaitMs ?? 3_000);
  const job = await deps.store.get(req.tenantId, req.jobId);
  if (job) return job;
  // The job exists in the stream but the projection lags: say "retry", not "gone".
  if (!caughtUp) throw new QuireError(ErrorCode.Unavailable, "job state is catching up; retry shortly");
  throw notFound();
}

async function lastEventOf(jsm: JetStreamManager, jobId: string): Promise<{ seq: number } | null> {
  try {
    return await jsm.streams.getMessage(EVENTS_STREAM, { last_by_subj: eventSubject(jobId) });
  } catch (err) {
    throw new QuireError(ErrorCode.Unavailable, "cannot read the event stream; retry shortly", {}, { cause: err });
  }
}
