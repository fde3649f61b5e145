import { openPipeline, runMain } from "@quire/runtime";
import { loadConfig } from "./config.js";
import { createNotifierService } from "./service.js";

await runMain(
  "notifier",
  async ({ logger }) => {
    const config = loadConfig();
    logger.level = config.logLevel;
    const pipeline = await openPipeline(config, logger, "quire-notifier");
    const notifier = await createNotifierService({
      nc: pipeline.nc,
      retentionMs: config.retentionMs,
      grpcAddr: config.grpcAddr,
      blobs: pipeline.blobs,
      settings: config.webhook,
      keyring: config.keyring,
      logger,
    });
    await notifier.start();
    if (config.webhook.publicUrlDefaulted)
      logger.warn(
        { publicUrl: config.webhook.publicUrl },
        "QUIRE_PUBLIC_URL is not set: webhooks link results at this address; set it to the URL clients use",
      );
    logger.info(
      {
        retryScheduleMs: config.webhook.retryScheduleMs,
        timeoutMs: config.webhook.timeoutMs,
        allowPrivateTargets: config.webhook.allowPrivateTargets,
      },
      "ready",
    );
    return async () => {
      await notifier.stop(Math.max(0, config.shutdownGraceMs - 2_000));
      await pipeline.nc.drain();
    };
  },
  { graceMs: 25_000 },
);
