import { openPipeline, runMain } from "@quire/runtime";
import { loadConfig } from "./config.js";
import { createSplitService } from "./service.js";

await runMain("split", async ({ logger }) => {
  const config = loadConfig();
  logger.level = config.logLevel;
  const pipeline = await openPipeline(config, logger, "split");
  const worker = createSplitService({ ...pipeline, logger, config });
  await worker.start();
  logger.info(
    {
      concurrency: config.concurrency,
      engine: config.defaultEngine,
      llm: config.llm ? { baseUrl: config.llm.baseUrl, model: config.llm.model } : null,
    },
    "ready",
  );
  return async () => {
    await worker.stop(); // stop pulling; finish or release in-flight jobs
    await pipeline.nc.drain(); // flush the last events, then close
  };
});
