import { serve } from "@hono/node-server";
import { jetstreamManager } from "@nats-io/jetstream";
import { openPipeline, runMain } from "@quire/runtime";
import { createAdmission } from "./admission.js";
import { createApp } from "./app.js";
import { loadConfig } from "./config.js";
import { createJobsClient } from "./jobs-client.js";
import { createIdempotency } from "./idempotency.js";
import { loadWebhookRoutesConfig, openWebhookBuckets } from "./webhook-routes.js";

await runMain("gateway", async ({ logger, signal }) => {
  const config = loadConfig();
  const pipeline = await openPipeline(config, logger, "quire-gateway");
  const jobs = createJobsClient(config.jobStatusAddr);
  const idempotency = await createIdempotency(pipeline.nc);
  const webhooks = {
    buckets: await openWebhookBuckets(pipeline.nc), targets: config.fetch, ...loadWebhookRoutesConfig(process.env),
  };
  const jsm = await jetstreamManager(pipeline.nc);
  let draining = false;
  const ready = async () => {
    const checks: Record<string, string> = { shutdown: draining ? "draining" : "ok" };
    checks.nats = await jsm.getAccountInfo().then(() => "ok", (e: Error) => e.message);
    checks.job_store = await jobs.list({ tenantId: "_readyz", limit: 1 }).then(() => "ok", (e: Error) => e.message);
    return { ok: Object.values(checks).every((v) => v === "ok"), checks };
  };
  const admit = createAdmission(jsm, config.maxQueuedJobs);
  const app = createApp({ config, logger, pipeline, jobs, ready, signal, idempotency, webhooks, admit });
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host });
  await new Promise<void>((resolve, reject) => server.once("listening", resolve).once("error", reject));
  logger.info({ port: config.port, host: config.host, tenants: config.apiKeys.map((k) => k.tenant) }, "gateway listening");
  return async () => {
    draining = true; // readyz answers 503 first, so load balancers stop sending
    await new Promise<void>((resolve) => server.close(() => resolve()));
    jobs.close();
    await pipeline.nc.drain();
  };
});
