import { jetstreamManager } from "@nats-io/jetstream";
import { EVENTS_STREAM, type Logger, type Pipeline } from "@quire/runtime";
import { createAdmission } from "./admission.js";
import { createApp } from "./app.js";
import type { GatewayConfig } from "./config.js";
import { createIdempotency } from "./idempotency.js";
import { createJobsClient, type JobsClient } from "./jobs-client.js";
import { createOperations, type Operations } from "./operations.js";
import { createWebhooksClient, type WebhooksClient } from "./webhooks-client.js";

export interface Gateway {
  app: ReturnType<typeof createApp>;
  ops: Operations;
  jobs: JobsClient;
  webhooks: WebhooksClient;
  /** /readyz's checks: shutdown, NATS, and a job-status that serves this stack. */
  ready(): Promise<{ ok: boolean; checks: Record<string, string> }>;
  /** Readiness answers 503 from now on (shutdown began). */
  drain(): void;
}

/**
 * The gateway's parts wired together over an open pipeline: the job-status and notifier clients, admission,
 * idempotency, the operations layer and the REST app (the gRPC API is served over the same
 * operations by main.ts). Tests build the app the same way.
 */
export async function composeGateway(config: GatewayConfig, logger: Logger, pipeline: Pipeline, signal: AbortSignal): Promise<Gateway> {
  const jsm = await jetstreamManager(pipeline.nc);
  const jobs = createJobsClient(config.jobStatusAddr, { streamIdentity: async () => (await jsm.streams.info(EVENTS_STREAM)).created });
  const idempotency = await createIdempotency(pipeline.nc);
  const webhooks = createWebhooksClient(config.notifierAddr);
  let draining = false;
  const ready = async () => {
    const checks: Record<string, string> = { shutdown: draining ? "draining" : "ok" };
    checks.nats = await jsm.getAccountInfo().then(
      () => "ok",
      (e: Error) => e.message,
    );
    // Reachable, and this stack's: a job-status projecting another stack's stream is refused.
    checks.job_store = await jobs.verify(true).then(
      () => "ok",
      (e: Error) => e.message,
    );
    return { ok: Object.values(checks).every((v) => v === "ok"), checks };
  };
  const admit = createAdmission(jsm, config.maxQueuedJobs);
  const ops = createOperations({ config, logger, pipeline, jobs, idempotency, admit, signal, webhooks });
  const app = createApp({ config, logger, pipeline, ready, signal, ops, webhooks: { webhooks, targets: config.fetch } });
  return { app, ops, jobs, webhooks, ready, drain: () => void (draining = true) };
}
