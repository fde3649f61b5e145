import { serve } from "@hono/node-server";
import { jetstreamManager } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import { EVENTS_STREAM, WEBHOOK_SECRETS_BUCKET, openPipeline, runMain } from "@quire/runtime";
import { createAdmission } from "./admission.js";
import { createApp } from "./app.js";
import { loadConfig } from "./config.js";
import { createJobsClient } from "./jobs-client.js";
import { createIdempotency } from "./idempotency.js";
import { createOperations } from "./operations.js";
import { startGrpcApi } from "./grpc-api.js";
import { loadWebhookRoutesConfig, openWebhookBuckets } from "./webhook-routes.js";

await runMain("gateway", async ({ logger, signal }) => {
  const config = loadConfig();
  const pipeline = await openPipeline(config, logger, "quire-gateway");
  const jsm = await jetstreamManager(pipeline.nc);
  const jobs = createJobsClient(config.jobStatusAddr, { streamIdentity: async () => (await jsm.streams.info(EVENTS_STREAM)).created });
  const idempotency = await createIdempotency(pipeline.nc);
  const webhooks = {
    buckets: await openWebhookBuckets(pipeline.nc), targets: config.fetch, keyring: config.keyring, ...loadWebhookRoutesConfig(process.env),
  };
  let draining = false;
  const ready = async () => {
    const checks: Record<string, string> = { shutdown: draining ? "draining" : "ok" };
    checks.nats = await jsm.getAccountInfo().then(() => "ok", (e: Error) => e.message);
    // Reachable, and this stack's: a job-status projecting another stack's stream is refused.
    checks.job_store = await jobs.verify(true).then(() => "ok", (e: Error) => e.message);
    return { ok: Object.values(checks).every((v) => v === "ok"), checks };
  };
  const admit = createAdmission(jsm, config.maxQueuedJobs);
  const secrets = await new Kvm(pipeline.nc).open(WEBHOOK_SECRETS_BUCKET);
  const ops = createOperations({ config, logger, pipeline, jobs, idempotency, admit, signal, secrets, tenantSecrets: webhooks.buckets.tenantSecrets });
  const app = createApp({ config, logger, pipeline, jobs, ready, signal, ops, webhooks });
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host });
  await new Promise<void>((resolve, reject) => server.once("listening", resolve).once("error", reject));
  const grpcHost = config.host.includes(":") ? `[${config.host}]` : config.host;
  const grpc = await startGrpcApi(`${grpcHost}:${config.grpcPort}`, {
    apiKeys: config.apiKeys, ops, pipeline, logger, maxFileBytes: config.maxFileBytes, signal,
    probe: async () => {
      const r = await ready();
      if (!r.ok) throw new Error(JSON.stringify(r.checks));
    },
  });
  logger.info({ port: config.port, grpcPort: grpc.port, host: config.host, tenants: config.apiKeys.map((k) => k.tenant) }, "gateway listening");
  return async () => {
    draining = true; // readyz answers 503 first, so load balancers stop sending
    await Promise.all([new Promise<void>((resolve) => server.close(() => resolve())), grpc.stop()]);
    jobs.close();
    await pipeline.nc.drain();
  };
});
