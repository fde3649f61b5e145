import { OCR_LANGUAGES, missingLanguages } from "@quire/contracts";
import { openPipeline, runMain } from "@quire/runtime";
import { loadConfig } from "./config.js";
import { createOcrPool } from "./ocr/ocr-pool.js";
import { createParseService } from "./service.js";
import { closeWaitingChildren, setWarmStandby } from "./pdf/child-runner.js";

await runMain("parse", async ({ logger }) => {
  const config = loadConfig();
  logger.level = config.logLevel;
  setWarmStandby(config.warmChild);
  const pool = createOcrPool({ ...config.ocr, logger });
  // Start the OCR workers now: a missing language package or a broken set-up fails here, not on
  // a user's first scan, and the first scan does not wait for model loads.
  await pool.warm();
  const missing = missingLanguages(OCR_LANGUAGES, pool.languages);
  if (missing.length > 0) logger.warn({ missing }, "OCR languages the gateway accepts are not installed here: their jobs will fail");
  const { nc, events, blobs } = await openPipeline(config, logger, "quire-parse");
  const ocr = { pool, dpi: config.ocr.dpi, maxPixels: config.ocr.maxPixels };
  const worker = createParseService({ nc, events, blobs, logger, config, ocr });
  await worker.start();
  logger.info({ concurrency: config.concurrency, limits: config.limits, ocr: { ...config.ocr, languages: pool.languages } }, "ready");
  return async () => {
    // Stop pulling and let in-flight parses finish (or release them) before closing NATS.
    await worker.stop();
    closeWaitingChildren();
    await pool.close();
    await nc.drain();
  };
});
