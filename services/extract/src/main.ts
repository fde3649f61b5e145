import { openPipeline, runMain } from "@quire/runtime";
import { loadConfig } from "./config.js";
import { createExtractService } from "./service.js";

await runMain("extract", async ({ logger }) => {
  const config = loadConfig();
  logger.level = config.logLevel;
  const pipeline = await openPipeline(config, logger, "extract");
  const worker = createExtractService({ ...pipeline, logger, config });
  await worker.start();
  logger.info({ concurrency: config.concurrency }, "ready");
  return async () => {
    await worker.stop(); // stop pulling; finish or release in-flight jobs
    await pipeline.nc.drain(); // flush the last events, then close
  };
});
