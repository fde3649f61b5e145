import { serve } from "@hono/node-server";
import { openPipeline, runMain } from "@quire/runtime";
import { composeGateway } from "./compose.js";
import { loadConfig } from "./config.js";
import { startGrpcApi } from "./grpc-api.js";

await runMain("gateway", async ({ logger, signal }) => {
  const config = loadConfig();
  const pipeline = await openPipeline(config, logger, "quire-gateway");
  const { app, ops, jobs, webhooks, ready, drain } = await composeGateway(config, logger, pipeline, signal);
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host });
  await new Promise<void>((resolve, reject) => server.once("listening", resolve).once("error", reject));
  const grpcHost = config.host.includes(":") ? `[${config.host}]` : config.host;
  const grpc = await startGrpcApi(`${grpcHost}:${config.grpcPort}`, {
    apiKeys: config.apiKeys,
    ops,
    pipeline,
    logger,
    maxFileBytes: config.maxFileBytes,
    signal,
    probe: async () => {
      const r = await ready();
      if (!r.ok) throw new Error(JSON.stringify(r.checks));
    },
  });
  logger.info(
    { port: config.port, grpcPort: grpc.port, host: config.host, tenants: config.apiKeys.map((k) => k.tenant) },
    "gateway listening",
  );
  return async () => {
    drain(); // readyz answers 503 first, so load balancers stop sending
    await Promise.all([new Promise<void>((resolve) => server.close(() => resolve())), grpc.stop()]);
    jobs.close();
    webhooks.close();
    await pipeline.nc.drain();
  };
});
