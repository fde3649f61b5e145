import { z } from "zod";
import { baseConfig, baseEnvShape, fetchConfig, fetchEnvShape, parseConfig, positiveInt } from "@quire/runtime";
import { parseApiKeys, type ApiKey } from "./auth.js";

export const GatewayEnv = z
  .object({
    ...baseEnvShape,
    ...fetchEnvShape,
    /** HTTP port of the REST API. */
    QUIRE_PORT: z.coerce.number().int().min(0).max(65_535, "QUIRE_PORT must be 0..65535").default(8080),
    /** Interface to listen on. */
    QUIRE_HOST: z.string().default("0.0.0.0"),
    /** Port of the gRPC API (quire.v1.JobsService, health, reflection); on QUIRE_HOST. */
    QUIRE_GRPC_PORT: z.coerce.number().int().min(0).max(65_535, "QUIRE_GRPC_PORT must be 0..65535").default(50051),
    /** `tenant:key,tenant2:key2`. Required: auth is never silently off (`pnpm start` makes a dev key). */
    QUIRE_API_KEYS: z.string({
      message: "QUIRE_API_KEYS is required, e.g. QUIRE_API_KEYS=acme:sk_live_123 (pnpm start creates a development key for you)",
    }),
    /** A sync call that takes longer answers 202 with the job id instead. */
    QUIRE_SYNC_TIMEOUT_MS: positiveInt("QUIRE_SYNC_TIMEOUT_MS").default(60_000),
    /** A job not ended this long after submission is failed with JOB_TIMEOUT. @default 1 h */
    QUIRE_JOB_DEADLINE_MS: positiveInt("QUIRE_JOB_DEADLINE_MS").default(3_600_000),
    /** Where job-status serves its internal gRPC (JobStoreService). */
    QUIRE_JOB_STATUS_GRPC_ADDR: z.string().default("127.0.0.1:50052"),
    /** Where the notifier serves its internal gRPC (WebhooksService: endpoints, deliveries, webhook secrets). */
    QUIRE_NOTIFIER_GRPC_ADDR: z.string().trim().min(1).default("127.0.0.1:50053"),
  })
  .transform((e) => ({
    ...baseConfig(e),
    ...fetchConfig(e),
    port: e.QUIRE_PORT,
    host: e.QUIRE_HOST,
    grpcPort: e.QUIRE_GRPC_PORT,
    apiKeys: e.QUIRE_API_KEYS,
    syncTimeoutMs: e.QUIRE_SYNC_TIMEOUT_MS,
    jobDeadlineMs: e.QUIRE_JOB_DEADLINE_MS,
    jobStatusAddr: e.QUIRE_JOB_STATUS_GRPC_ADDR,
    notifierAddr: e.QUIRE_NOTIFIER_GRPC_ADDR,
  }))
  .transform((c, ctx) => {
    try {
      return { ...c, apiKeys: parseApiKeys(c.apiKeys) as ApiKey[] };
    } catch (err) {
      ctx.addIssue({ code: "custom", path: ["QUIRE_API_KEYS"], message: (err as Error).message });
      return z.NEVER;
    }
  });
export type GatewayConfig = z.output<typeof GatewayEnv>;

export const loadConfig = (env: Record<string, string | undefined> = process.env): GatewayConfig => parseConfig(GatewayEnv, env);
