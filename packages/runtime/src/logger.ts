import { pino, type Logger, type LevelWithSilent } from "pino";

export type { Logger } from "pino";

export interface LoggerOptions {
  service: string;
  level?: LevelWithSilent;
  /** Where lines go; stdout by default. Tests pass a stream to read them. */
  destination?: NodeJS.WritableStream;
}

/** JSON lines with the service name on each; secrets are redacted by path. */
export function createLogger(opts: LoggerOptions): Logger {
  const options = {
    level: opts.level ?? "info",
    base: { service: opts.service },
    redact: { paths: ["password", "*.password", "apiKey", "*.apiKey", "headers.authorization", "headers[\"x-api-key\"]"], censor: "[redacted]" },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}
