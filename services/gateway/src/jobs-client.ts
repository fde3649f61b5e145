import { create } from "@bufbuild/protobuf";
import {
  GetJobRecordRequestSchema, JobStoreService, ListJobRecordsRequestSchema, toGrpcDefinition,
  type DescribeJobStoreResponse, type GetJobRecordResponse, type JobRecord, type ListJobRecordsRequest, type ListJobRecordsResponse,
} from "@quire/contracts";
import { ErrorCode, QuireError } from "@quire/runtime";
import { credentials, makeGenericClientConstructor, status, type ServiceError } from "@grpc/grpc-js";
import type { MessageInitShape } from "@bufbuild/protobuf";

export interface JobsClient {
  get(tenantId: string, jobId: string): Promise<JobRecord | null>;
  list(req: MessageInitShape<typeof ListJobRecordsRequestSchema>): Promise<ListJobRecordsResponse>;
  /**
   * Checks that the job-status reached projects this stack's event stream; throws UNAVAILABLE
   * with what to set when it is another stack's (or unreachable). A success holds for a while
   * unless `fresh` asks to look again (readiness does).
   */
  verify(fresh?: boolean): Promise<void>;
  close(): void;
}

export interface JobsClientOptions {
  timeoutMs?: number;
  /** Creation time of this stack's QUIRE_EVENTS stream, as the broker reports it. */
  streamIdentity(): Promise<string>;
  /** How long a successful identity check holds. @default 30 s */
  verifyEveryMs?: number;
}

type Unary<Req, Res> = (req: Req, opts: { deadline: number }, cb: (err: ServiceError | null, res: Res) => void) => void;

/**
 * A gRPC client for job-status's JobStoreService, with deadlines and errors as QuireErrors. It
 * reads no job before it has checked that job-status serves this stack's stream: a second stack
 * on one host whose address points at the first one's job-status must refuse, not show another
 * stack's jobs.
 */
export function createJobsClient(address: string, opts: JobsClientOptions): JobsClient {
  const timeoutMs = opts.timeoutMs ?? 5_000;
  const Ctor = makeGenericClientConstructor(toGrpcDefinition(JobStoreService), "JobStoreService");
  const client = new Ctor(address, credentials.createInsecure()) as unknown as {
    getJobRecord: Unary<unknown, GetJobRecordResponse>;
    listJobRecords: Unary<ListJobRecordsRequest, ListJobRecordsResponse>;
    describeJobStore: Unary<unknown, DescribeJobStoreResponse>;
    close(): void;
  };
  const call = <Req, Res>(fn: Unary<Req, Res>, req: Req): Promise<Res> =>
    new Promise((resolve, reject) =>
      fn.call(client, req, { deadline: Date.now() + timeoutMs }, (err, res) => (err ? reject(err) : resolve(res))),
    );
  let verifiedUntil = 0;
  async function verify(fresh = false): Promise<void> {
    if (!fresh && Date.now() < verifiedUntil) return;
    const [theirs, ours] = await Promise.all([
      call(client.describeJobStore, {}).then((r) => r.eventsStreamCreated, (err: unknown) => { throw translate(err, address); }),
      opts.streamIdentity(),
    ]);
    if (theirs !== ours)
      throw new QuireError(ErrorCode.Unavailable,
        `the job-status at ${address} serves another stack (its event stream was created ${theirs}, this stack's ${ours}); set QUIRE_JOB_STATUS_GRPC_ADDR to this stack's job-status`);
    verifiedUntil = Date.now() + (opts.verifyEveryMs ?? 30_000);
  }
  return {
    async get(tenantId, jobId) {
      await verify();
      try {
        const res = await call(client.getJobRecord, create(GetJobRecordRequestSchema, { tenantId, jobId }));
        return res.job ?? null;
      } catch (err) {
        if ((err as ServiceError).code === status.NOT_FOUND) return null;
        throw translate(err, address);
      }
    },
    async list(req) {
      await verify();
      try {
        return await call(client.listJobRecords, create(ListJobRecordsRequestSchema, req));
      } catch (err) {
        throw translate(err, address);
      }
    },
    verify,
    close: () => client.close(),
  };
}

function translate(err: unknown, address: string): QuireError {
  const e = err as ServiceError;
  if (e.code === status.INVALID_ARGUMENT) return new QuireError(ErrorCode.InvalidArgument, e.details || e.message);
  return new QuireError(ErrorCode.Unavailable, `the job-status service (${address}) is not reachable; retry shortly`, {}, { cause: err });
}
