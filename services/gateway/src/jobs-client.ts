import { create } from "@bufbuild/protobuf";
import {
  GetJobRequestSchema, JobsService, ListJobsRequestSchema, toGrpcDefinition,
  type GetJobResponse, type Job, type ListJobsRequest, type ListJobsResponse,
} from "@quire/contracts";
import { ErrorCode, QuireError } from "@quire/runtime";
import { credentials, makeGenericClientConstructor, status, type ServiceError } from "@grpc/grpc-js";
import type { MessageInitShape } from "@bufbuild/protobuf";

export interface JobsClient {
  get(tenantId: string, jobId: string): Promise<Job | null>;
  list(req: MessageInitShape<typeof ListJobsRequestSchema>): Promise<ListJobsResponse>;
  close(): void;
}

type Unary<Req, Res> = (req: Req, opts: { deadline: number }, cb: (err: ServiceError | null, res: Res) => void) => void;

/** A gRPC client for job-status's JobsService, with deadlines and errors as QuireErrors. */
export function createJobsClient(address: string, timeoutMs = 5_000): JobsClient {
  const Ctor = makeGenericClientConstructor(toGrpcDefinition(JobsService), "JobsService");
  const client = new Ctor(address, credentials.createInsecure()) as unknown as {
    getJob: Unary<unknown, GetJobResponse>;
    listJobs: Unary<ListJobsRequest, ListJobsResponse>;
    close(): void;
  };
  const call = <Req, Res>(fn: Unary<Req, Res>, req: Req): Promise<Res> =>
    new Promise((resolve, reject) =>
      fn.call(client, req, { deadline: Date.now() + timeoutMs }, (err, res) => (err ? reject(err) : resolve(res))),
    );
  return {
    async get(tenantId, jobId) {
      try {
        const res = await call(client.getJob, create(GetJobRequestSchema, { tenantId, jobId }));
        return res.job ?? null;
      } catch (err) {
        if ((err as ServiceError).code === status.NOT_FOUND) return null;
        throw translate(err);
      }
    },
    async list(req) {
      try {
        return await call(client.listJobs, create(ListJobsRequestSchema, req));
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
