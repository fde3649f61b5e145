import { create, type MessageInitShape } from "@bufbuild/protobuf";
import {
  GetJobRecordRequestSchema,
  JobStoreService,
  ListJobRecordsRequestSchema,
  toGrpcDefinition,
  type GetJobRecordResponse,
  type ListJobRecordsResponse,
} from "@quire/contracts";
import { createLogger, openPipeline, type BaseConfig, type Logger, type Pipeline } from "@quire/runtime";
import { startNatsServer, type NatsServer } from "@quire/runtime/testing";
import { credentials, makeGenericClientConstructor, type ServiceError } from "@grpc/grpc-js";
import { healthDefinition, type HealthCheckRequest, type HealthCheckResponse } from "@quire/runtime";

export interface Env {
  nats: NatsServer;
  pipeline: Pipeline;
  config: BaseConfig;
  logger: Logger;
  stop(): Promise<void>;
}

/** A real nats-server and the declared topology, as every service opens it. */
export async function startEnv(overrides: Partial<BaseConfig> = {}): Promise<Env> {
  const nats = await startNatsServer();
  const config: BaseConfig = {
    natsUrl: nats.url,
    logLevel: "silent",
    retentionMs: 3_600_000,
    ackWaitMs: 30_000,
    maxDeliver: 5,
    maxQueuedJobs: 100_000,
    shutdownGraceMs: 5_000,
    otlpEndpoint: undefined,
    metricsPort: 0,
    metricsHost: "127.0.0.1",
    ...overrides,
  };
  const logger = createLogger({ service: "job-status-test", level: process.env.QUIRE_TEST_LOG === "1" ? "debug" : "silent" });
  const pipeline = await openPipeline(config, logger, "job-status-test");
  return {
    nats,
    pipeline,
    config,
    logger,
    async stop() {
      await pipeline.nc.drain().catch(() => undefined);
      await nats.stop();
    },
  };
}

type Cb<Res> = (err: ServiceError | null, res: Res) => void;
interface RawClient {
  getJobRecord(req: unknown, cb: Cb<GetJobRecordResponse>): void;
  listJobRecords(req: unknown, cb: Cb<ListJobRecordsResponse>): void;
  close(): void;
}

/** How the gateway talks to job-status: a grpc-js client built from the same contract. */
export function jobsClient(address: string) {
  const Ctor = makeGenericClientConstructor(toGrpcDefinition(JobStoreService), "JobStoreService");
  const raw = new Ctor(address, credentials.createInsecure()) as unknown as RawClient;
  const call = <Res>(fn: (req: unknown, cb: Cb<Res>) => void, req: unknown) =>
    new Promise<Res>((resolve, reject) => fn.call(raw, req, (err, res) => (err ? reject(err) : resolve(res))));
  return {
    getJob: (tenantId: string, jobId: string) => call(raw.getJobRecord, create(GetJobRecordRequestSchema, { tenantId, jobId })),
    listJobs: (req: MessageInitShape<typeof ListJobRecordsRequestSchema>) =>
      call(raw.listJobRecords, create(ListJobRecordsRequestSchema, req)),
    close: () => raw.close(),
  };
}

/** grpc.health.v1.Health/Check → the serving status number (1 = SERVING). */
export function healthCheck(address: string, service = ""): Promise<number> {
  const Ctor = makeGenericClientConstructor(healthDefinition, "Health");
  const raw = new Ctor(address, credentials.createInsecure()) as unknown as {
    check(req: HealthCheckRequest, cb: Cb<HealthCheckResponse>): void;
    close(): void;
  };
  return new Promise<number>((resolve, reject) =>
    raw.check({ service }, (err, res) => (raw.close(), err ? reject(err) : resolve(res.status))),
  );
}

/** The gRPC status code of a failed call, or "ok". */
export async function codeOf(p: Promise<unknown>): Promise<number | "ok"> {
  try {
    await p;
    return "ok";
  } catch (err) {
    return (err as ServiceError).code;
  }
}
