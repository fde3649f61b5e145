import {
  JobStoreService,
  createGrpcClient,
  type JobRecord,
  type ListJobRecordsRequestSchema,
  type ListJobRecordsResponse,
} from "@quire/contracts";
import { ErrorCode, QuireError, fromGrpcError } from "@quire/runtime";
import type { MessageInitShape } from "@bufbuild/protobuf";

export interface JobsClient {
  /** The job as projected, at least up to stream position `minSeq` when given. */
  get(tenantId: string, jobId: string, minSeq?: number): Promise<JobRecord | null>;
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

/**
 * A gRPC client for job-status's JobStoreService, with deadlines and errors as QuireErrors. It
 * reads no job before it has checked that job-status serves this stack's stream: a second stack
 * on one host whose address points at the first one's job-status must refuse, not show another
 * stack's jobs.
 */
export function createJobsClient(address: string, opts: JobsClientOptions): JobsClient {
  const client = createGrpcClient(JobStoreService, address, {
    timeoutMs: opts.timeoutMs ?? 5_000,
    mapError: (err) => fromGrpcError(err, `the job-status service (${address})`),
  });
  let verifiedUntil = 0;
  async function verify(fresh = false): Promise<void> {
    if (!fresh && Date.now() < verifiedUntil) return;
    const [theirs, ours] = await Promise.all([client.describeJobStore({}).then((r) => r.eventsStreamCreated), opts.streamIdentity()]);
    if (theirs !== ours)
      throw new QuireError(
        ErrorCode.Unavailable,
        `the job-status at ${address} serves another stack (its event stream was created ${theirs}, this stack's ${ours}); set QUIRE_JOB_STATUS_GRPC_ADDR to this stack's job-status`,
      );
    verifiedUntil = Date.now() + (opts.verifyEveryMs ?? 30_000);
  }
  return {
    async get(tenantId, jobId, minSeq = 0) {
      await verify();
      try {
        return (await client.getJobRecord({ tenantId, jobId, minSeq })).job ?? null;
      } catch (err) {
        if ((err as QuireError).code === ErrorCode.NotFound) return null;
        throw err;
      }
    },
    async list(req) {
      await verify();
      return client.listJobRecords(req);
    },
    verify,
    close: () => client.close(),
  };
}
