import { createLogger, type Logger } from "./logger.js";
import { ErrorCode, QuireError } from "./errors.js";
import { ConfigError } from "./config.js";
import { shutdownMetrics } from "./metrics.js";
import { shutdownTelemetry } from "./telemetry.js";

export type Teardown = () => Promise<void>;
export type Main = (ctx: { signal: AbortSignal; logger: Logger }) => Promise<Teardown>;

export interface RunMainOptions {
  /** After this long the process exits even if teardown has not finished. @default 25_000 */
  graceMs?: number;
  logLevel?: Parameters<typeof createLogger>[0]["level"];
}

/**
 * The composition root's frame: runs `main`, and on SIGTERM/SIGINT aborts the signal and
 * runs the teardown `main` returned, exactly once, within a deadline. A second signal forces
 * the exit. Start-up failures (bad config included) exit 1 with the reason logged.
 */
export async function runMain(service: string, main: Main, opts: RunMainOptions = {}): Promise<void> {
  const graceMs = opts.graceMs ?? 25_000;
  const logger = createLogger({ service, level: opts.logLevel ?? "info" });
  const controller = new AbortController();
  let teardown: Teardown | undefined;
  let stopping = false;

  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    if (stopping) process.exit(130);
    stopping = true;
    logger.info({ signal, graceMs }, "shutting down");
    controller.abort(new QuireError(ErrorCode.Unavailable, `shutting down (${signal})`));
    const deadline = setTimeout(() => {
      logger.error({ graceMs }, "shutdown timed out");
      process.exit(1);
    }, graceMs);
    deadline.unref();
    try {
      await teardown?.();
      await shutdownTelemetry().catch((err: unknown) => logger.warn({ err }, "could not flush traces"));
      await shutdownMetrics().catch((err: unknown) => logger.warn({ err }, "could not flush metrics"));
      logger.info("stopped");
    } catch (err) {
      logger.error({ err }, "teardown failed");
      process.exitCode = 1;
    } finally {
      clearTimeout(deadline);
    }
    process.exit();
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));

  try {
    teardown = await main({ signal: controller.signal, logger });
  } catch (err) {
    if (err instanceof ConfigError) {
      logger.fatal({ problems: err.problems }, err.message);
      console.error(err.message);
    } else {
      logger.fatal({ err }, "startup failed");
    }
    process.exit(1);
  }
}
