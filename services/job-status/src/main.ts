import { jetstreamManager } from "@nats-io/jetstream";
import { openPipeline, runMain } from "@quire/runtime";
import { loadConfig, openJobStore } from "./config.js";
import { startGrpcServer } from "./grpc-server.js";
import { createProjection } from "./projection.js";
import { createReaper } from "./reaper.js";

await runMain(
  "job-status",
  async ({ logger }) => {
    const config = loadConfig();
    logger.level = config.logLevel;
    const pipeline = await openPipeline(config, logger, "quire-job-status");
    const store = await openJobStore(config, logger);
    const projection = createProjection({ nc: pipeline.nc, store, logger });
    await projection.start();
    // Serve only a complete read model: a half-rebuilt store would answer 404 for live jobs.
    await projection.caughtUp();
    logger.info({ seq: projection.applied() }, "projection caught up");
    const grpc = await startGrpcServer(config.grpcAddr, {
      store,
      projection,
      jsm: await jetstreamManager(pipeline.nc),
      logger,
    });
    const reaper = createReaper({ nc: pipeline.nc, events: pipeline.events, store, logger, sweepIntervalMs: config.sweepIntervalMs });
    await reaper.start();
    logger.info({ grpc: config.grpcAddr, store: store.kind }, "ready");
    return async () => {
      await grpc.stop(Math.min(5_000, config.shutdownGraceMs));
      await projection.stop();
      await reaper.stop();
      await store.close();
      await pipeline.nc.drain();
    };
  },
  { graceMs: 25_000 },
);
