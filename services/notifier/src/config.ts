import { z } from "zod";
import { baseConfig, baseEnvShape, boolEnv, csvInts, parseConfig, positiveInt, secretsEnvShape } from "@quire/runtime";

/** Svix's schedule: immediately, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (about 27.6 h). */
/** result_url's base when QUIRE_PUBLIC_URL is unset: the gateway on this machine. */
export const DEFAULT_PUBLIC_URL = "http://localhost:8080";

export const DEFAULT_RETRY_SCHEDULE_MS = [0, 5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000];
/** Svix disables an endpoint whose every attempt failed for 5 days. */
export const DEFAULT_DISABLE_AFTER_MS = 5 * 24 * 3_600_000;

export const NotifierEnv = z
  .object({
    ...baseEnvShape,
    ...secretsEnvShape,
    /** Per-attempt HTTP timeout; the Standard Webhooks spec recommends 15–30 s. */
    QUIRE_WEBHOOK_TIMEOUT_MS: positiveInt("QUIRE_WEBHOOK_TIMEOUT_MS").default(15_000),
    /** Delay before each attempt, in ms; its length is the number of attempts. */
    QUIRE_WEBHOOK_RETRY_SCHEDULE_MS: csvInts
      .default(DEFAULT_RETRY_SCHEDULE_MS)
      .refine((s) => s.length > 0, "QUIRE_WEBHOOK_RETRY_SCHEDULE_MS needs at least one entry"),
    /** A registered endpoint whose attempts have all failed for this long is disabled. */
    QUIRE_WEBHOOK_DISABLE_AFTER_MS: positiveInt("QUIRE_WEBHOOK_DISABLE_AFTER_MS").default(DEFAULT_DISABLE_AFTER_MS),
    /** Attempts in flight per notifier process. */
    QUIRE_WEBHOOK_CONCURRENCY: positiveInt("QUIRE_WEBHOOK_CONCURRENCY").default(32),
    /** Attempts in flight per receiver (endpoint, or host of a job's webhook_url): a slow one holds no more. */
    QUIRE_WEBHOOK_ENDPOINT_CONCURRENCY: positiveInt("QUIRE_WEBHOOK_ENDPOINT_CONCURRENCY").default(4),
    /** A completed job's result is inlined up to this many bytes of JSON, else a result_url is sent. */
    QUIRE_WEBHOOK_INLINE_RESULT_BYTES: z.coerce.number().int().min(0).default(16_384),
    /** How often due attempts are looked for (in memory; the due bucket is watched, not polled). */
    QUIRE_WEBHOOK_POLL_MS: positiveInt("QUIRE_WEBHOOK_POLL_MS").default(250),
    /**
     * Base URL clients reach the API at, e.g. https://quire.example.com: result_url is always
     * absolute. The default suits one machine (`pnpm start`); set it anywhere else.
     */
    QUIRE_PUBLIC_URL: z
      .url({ protocol: /^https?$/, message: "QUIRE_PUBLIC_URL must be an http(s) URL, e.g. https://quire.example.com" })
      .optional(),
    /** Development and tests only: let webhooks reach loopback and private addresses. */
    QUIRE_ALLOW_PRIVATE_TARGETS: boolEnv.default(false),
    /** After a secret rotation, the old secret also signs for this long. @default 24 h */
    QUIRE_WEBHOOK_ROTATION_OVERLAP_MS: positiveInt("QUIRE_WEBHOOK_ROTATION_OVERLAP_MS").default(24 * 3_600_000),
    /**
     * Where the notifier serves its internal gRPC (WebhooksService + grpc.health.v1), and where
     * the gateway finds it. "0.0.0.0:50053" in containers.
     */
    QUIRE_NOTIFIER_GRPC_ADDR: z.string().trim().min(1).default("127.0.0.1:50053"),
  })
  .transform((e) => ({
    ...baseConfig(e),
    keyring: e.QUIRE_SECRETS_KEY,
    webhook: {
      timeoutMs: e.QUIRE_WEBHOOK_TIMEOUT_MS,
      retryScheduleMs: e.QUIRE_WEBHOOK_RETRY_SCHEDULE_MS,
      disableAfterMs: e.QUIRE_WEBHOOK_DISABLE_AFTER_MS,
      concurrency: e.QUIRE_WEBHOOK_CONCURRENCY,
      endpointConcurrency: e.QUIRE_WEBHOOK_ENDPOINT_CONCURRENCY,
      inlineResultBytes: e.QUIRE_WEBHOOK_INLINE_RESULT_BYTES,
      pollMs: e.QUIRE_WEBHOOK_POLL_MS,
      publicUrl: (e.QUIRE_PUBLIC_URL ?? DEFAULT_PUBLIC_URL).replace(/\/+$/, ""),
      publicUrlDefaulted: e.QUIRE_PUBLIC_URL === undefined,
      allowPrivateTargets: e.QUIRE_ALLOW_PRIVATE_TARGETS,
      rotationOverlapMs: e.QUIRE_WEBHOOK_ROTATION_OVERLAP_MS,
    },
    grpcAddr: e.QUIRE_NOTIFIER_GRPC_ADDR,
  }));
export type NotifierConfig = z.output<typeof NotifierEnv>;
export type WebhookSettings = NotifierConfig["webhook"];

export const loadConfig = (env: Record<string, string | undefined> = process.env): NotifierConfig => parseConfig(NotifierEnv, env);
