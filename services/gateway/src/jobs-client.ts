import { create } from "@bufbuild/protobuf";
import {
  GetJobRecordRequestSchema, JobStoreService, ListJobRecordsRequestSchema, toGrpcDefinition,
  type GetJobRecordResponse, type JobRecord, type ListJobRecordsRequest, type ListJobRecordsResponse,
} from "@quire/contracts";
import { ErrorCode, QuireError } from "@quire/runtime";
import { credentials, makeGenericClientConstructor, status, type ServiceError } from "@grpc/grpc-js";
import type { MessageInitShape } from "@bufbuild/protobuf";

export interface JobsClient {
  get(tenantId: string, jobId: string): Promise<JobRecord | null>;
  list(req: MessageInitShape<typeof ListJobRecordsRequestSchema>): Promise<ListJobRecordsResponse>;
  close(): void;
}

type Unary<Req, Res> = (req: Req, opts: { deadline: number }, cb: (err: ServiceError | null, res: Res) => void) => void;

/** A gRPC client for job-status's JobStoreService, with deadlines and errors as QuireErrors. */
export function createJobsClient(address: string, timeoutMs = 5_000): JobsClient {
  const Ctor = makeGenericClientConstructor(toGrpcDefinition(JobStoreService), "JobStoreService");
  const client = new Ctor(address, credentials.createInsecure()) as unknown as {
    getJobRecord: Unary<unknown, GetJobRecordResponse>;
    listJobRecords: Unary<ListJobRecordsRequest, ListJobRecordsResponse>;
    close(): void;
  };
  const call = <Req, Res>(fn: Unary<Req, Res>, req: Req): Promise<Res> =>
    new Promise((resolve, reject) =>
      fn.call(client, req, { deadline: Date.now() + timeoutMs }, (err, res) => (err ? reject(err) : resolve(res))),
    );
  return {
    async get(tenantId, jobId) {
      try {
        const res = await call(client.getJobRecord, create(GetJobRecordRequestSchema, { tenantId, jobId }));
        return res.job ?? null;
      } catch (err) {
        if ((err as ServiceError).code === status.NOT_FOUND) return null;
        throw translate(err);
      }
    },
    async list(req) {
      try {
        return await call(client.listJobRecords, create(ListJobRecordsRequestSchema, req));
      } catch (err) {
        throw translate(err);
      }
    },
    close: () => client.close(),
  };
}

function translate(err: unknown): QuireError {
  const e = err as ServiceError;
  if (e.code === status.INVALID_ARGUMENT) return new QuireError(ErrorCode.InvalidArgument, e.details || e.message);
  return new QuireError(ErrorCode.Unavailable, "the job-status service is not reachable; retry shortly", {}, { cause: err });
}
