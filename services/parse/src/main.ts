import { openPipeline, runMain } from "@quire/runtime";
import { loadConfig } from "./config.js";
import { createParseService } from "./service.js";

await runMain("parse", async ({ logger }) => {
  const config = loadConfig();
  logger.level = config.logLevel;
  const { nc, events, blobs } = await openPipeline(config, logger, "quire-parse");
  const worker = createParseService({ nc, events, blobs, logger, config });
  await worker.start();
  logger.info({ concurrency: config.concurrency, limits: config.limits }, "ready");
  return async () => {
    // Stop pulling and let in-flight parses finish (or release them) before closing NATS.
    await worker.stop();
    await nc.drain();
  };
});
