import { parseKeyring } from "./secrets/secret-box.js";
import { z } from "zod";

/** Thrown by parseConfig with one line per problem, each naming the variable. */
export class ConfigError extends Error {
  override name = "ConfigError";
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

/** "true"/"false"/"1"/"0"/"yes"/"no" → boolean; anything else is a clear error. */
export const boolEnv = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => ["true", "false", "1", "0", "yes", "no"].includes(v), {
    message: 'expected "true" or "false"',
  })
  .transform((v) => v === "true" || v === "1" || v === "yes");

/** A comma-separated list of non-negative integers, e.g. "5000,30000". */
export const csvInts = z
  .string()
  .trim()
  .refine((v) => v.split(",").every((p) => /^\d+$/.test(p.trim())), {
    message: "expected comma-separated non-negative integers, e.g. 5000,30000",
  })
  .transform((v) => v.split(",").map((p) => Number(p.trim())));

export const positiveInt = (what: string) =>
  z.coerce
    .number({ message: `${what} must be a number` })
    .int(`${what} must be a whole number`)
    .positive(`${what} must be > 0`);

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/** Settings every service shares. */
export const baseEnvShape = {
  /** NATS server URL(s), comma-separated. Unset only under `pnpm start`, which starts one. */
  NATS_URL: z.string().trim().min(1, "NATS_URL must not be empty").default("nats://127.0.0.1:4222"),
  /** pino level. */
  QUIRE_LOG_LEVEL: z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(", ")}` }).default("info"),
  /** How long finished jobs, their events and results are kept. @default 24 h */
  QUIRE_RETENTION_HOURS: z.coerce.number().positive("QUIRE_RETENTION_HOURS must be > 0").default(24),
  /** How long a stage may hold a message before JetStream redelivers it (heartbeats extend it). */
  QUIRE_ACK_WAIT_MS: positiveInt("QUIRE_ACK_WAIT_MS").default(30_000),
  /** Deliveries of one stage message before the job fails with RETRIES_EXHAUSTED. */
  QUIRE_MAX_DELIVER: positiveInt("QUIRE_MAX_DELIVER").default(5),
  /** Stage messages the work queue holds; beyond it new jobs get 429 RATE_LIMITED and queued ones are kept. */
  QUIRE_MAX_QUEUED_JOBS: positiveInt("QUIRE_MAX_QUEUED_JOBS").default(100_000),
  /** OTLP/HTTP collector base URL; traces are exported only when set. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ message: "OTEL_EXPORTER_OTLP_ENDPOINT must be a URL like http://otel-collector:4318" }).optional(),
  /** Port of this service's Prometheus /metrics endpoint; 0 serves none. */
  QUIRE_METRICS_PORT: z.coerce.number().int().min(0).max(65_535, "QUIRE_METRICS_PORT must be 0..65535").default(9464),
  /** Interface the /metrics endpoint listens on. */
  QUIRE_METRICS_HOST: z.string().trim().min(1).default("0.0.0.0"),
  /** Grace period on SIGTERM/SIGINT before in-flight work is released (nak) and the process exits. */
  QUIRE_SHUTDOWN_GRACE_MS: positiveInt("QUIRE_SHUTDOWN_GRACE_MS").default(20_000),
};

export const baseEnv = z.object(baseEnvShape);

/** Settings of the services that download a user's file_url: the gateway (sync requests) and parse (async jobs). */
export const fetchEnvShape = {
  /** Largest accepted upload or fetched file. @default 50 MiB */
  QUIRE_MAX_FILE_BYTES: positiveInt("QUIRE_MAX_FILE_BYTES").default(50 * 1024 * 1024),
  /** Time limit for downloading `file_url`. */
  QUIRE_FETCH_TIMEOUT_MS: positiveInt("QUIRE_FETCH_TIMEOUT_MS").default(30_000),
  /** Development only: let file_url reach loopback and private addresses. */
  QUIRE_ALLOW_PRIVATE_TARGETS: boolEnv.default(false),
};

/** An OpenAI-compatible chat-completions endpoint, for the optional `llm` engines of split and schema. */
/** The keyring that seals secrets at rest (gateway and notifier). */
export const secretsEnvShape = {
  /** `kid:base64(32 random bytes)[,older…]`; the first seals, all open. `pnpm start` makes one. */
  QUIRE_SECRETS_KEY: z
    .string({
      message: "QUIRE_SECRETS_KEY is required, e.g. QUIRE_SECRETS_KEY=k1:$(openssl rand -base64 32) (pnpm start creates one for you)",
    })
    .transform((raw, ctx) => {
      try {
        return parseKeyring(raw);
      } catch (err) {
        ctx.addIssue({ code: "custom", message: `QUIRE_SECRETS_KEY: ${(err as Error).message}` });
        return z.NEVER;
      }
    }),
};

export const llmEnvShape = {
  /** Base URL, e.g. http://localhost:11434/v1 (Ollama) or https://api.openai.com/v1. Unset: no llm engine. */
  QUIRE_LLM_BASE_URL: z
    .url({ protocol: /^https?$/, message: "QUIRE_LLM_BASE_URL must be an http(s) URL like http://localhost:11434/v1" })
    .optional(),
  /** Model name the endpoint serves. */
  QUIRE_LLM_MODEL: z.string().trim().min(1).optional(),
  /** Sent as Authorization: Bearer; never logged. */
  QUIRE_LLM_API_KEY: z.string().optional(),
  /** Time limit of one completion. */
  QUIRE_LLM_TIMEOUT_MS: positiveInt("QUIRE_LLM_TIMEOUT_MS").default(120_000),
};

export interface LlmConfig {
  baseUrl: string;
  model: string;
  apiKey?: string;
  timeoutMs: number;
}

/** The endpoint's settings, or undefined when none is configured (both URL and model are needed). */
export function llmConfig(e: z.output<z.ZodObject<typeof llmEnvShape>>): LlmConfig | undefined {
  if (!e.QUIRE_LLM_BASE_URL || !e.QUIRE_LLM_MODEL) return undefined;
  return {
    baseUrl: e.QUIRE_LLM_BASE_URL.replace(/\/+$/, ""),
    model: e.QUIRE_LLM_MODEL,
    timeoutMs: e.QUIRE_LLM_TIMEOUT_MS,
    ...(e.QUIRE_LLM_API_KEY ? { apiKey: e.QUIRE_LLM_API_KEY } : {}),
  };
}

export interface FetchConfig {
  maxFileBytes: number;
  fetch: { timeoutMs: number; allowPrivate: boolean };
}

export function fetchConfig(e: z.output<z.ZodObject<typeof fetchEnvShape>>): FetchConfig {
  return {
    maxFileBytes: e.QUIRE_MAX_FILE_BYTES,
    fetch: { timeoutMs: e.QUIRE_FETCH_TIMEOUT_MS, allowPrivate: e.QUIRE_ALLOW_PRIVATE_TARGETS },
  };
}
export type BaseEnv = z.output<typeof baseEnv>;

export interface BaseConfig {
  natsUrl: string;
  logLevel: (typeof LOG_LEVELS)[number];
  retentionMs: number;
  ackWaitMs: number;
  maxDeliver: number;
  maxQueuedJobs: number;
  shutdownGraceMs: number;
  otlpEndpoint: string | undefined;
  metricsPort: number;
  metricsHost: string;
}

/** Shapes the shared variables into the camelCase config every service embeds. */
export function baseConfig(e: BaseEnv): BaseConfig {
  return {
    natsUrl: e.NATS_URL,
    logLevel: e.QUIRE_LOG_LEVEL,
    retentionMs: Math.round(e.QUIRE_RETENTION_HOURS * 3_600_000),
    ackWaitMs: e.QUIRE_ACK_WAIT_MS,
    maxDeliver: e.QUIRE_MAX_DELIVER,
    maxQueuedJobs: e.QUIRE_MAX_QUEUED_JOBS,
    shutdownGraceMs: e.QUIRE_SHUTDOWN_GRACE_MS,
    otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT,
    metricsPort: e.QUIRE_METRICS_PORT,
    metricsHost: e.QUIRE_METRICS_HOST,
  };
}

/**
 * Parses an environment with a zod schema and reports every problem at once.
 * Empty strings count as unset, so `FOO=` falls back to the default.
 */
export function parseConfig<S extends z.ZodType>(schema: S, env: Record<string, string | undefined>): z.output<S> {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map((i) => `${i.path.join(".") || "(env)"}: ${i.message}`));
}
