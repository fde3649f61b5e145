import { trace } from "@opentelemetry/api";
import { pino, type LevelWithSilent } from "pino";

/** A log method: structured fields first, then the message; or the message alone. */
export interface LogFn {
  (fields: object, msg?: string): void;
  (msg: string): void;
}

/**
 * Quire's logger, what services and the runtime depend on: JSON lines with fields, levels and
 * child loggers. pino is behind it (createLogger), and nothing outside this file names pino.
 */
export interface Logger {
  level: string;
  trace: LogFn;
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  fatal: LogFn;
  child(bindings: Record<string, unknown>): Logger;
}

export interface LoggerOptions {
  service: string;
  level?: LevelWithSilent;
  /** Where lines go; stdout by default. Tests pass a stream to read them. */
  destination?: NodeJS.WritableStream;
}

/**
 * JSON lines with the service name on each, and the trace and span ids of the active span on
 * every line written inside one (a job's stages, a request), so `grep <trace_id>` finds one
 * job's story across all services; secrets are redacted by path.
 */
export function createLogger(opts: LoggerOptions): Logger {
  const options = {
    level: opts.level ?? "info",
    base: { service: opts.service },
    redact: {
      paths: ["password", "*.password", "apiKey", "*.apiKey", "headers.authorization", 'headers["x-api-key"]'],
      censor: "[redacted]",
    },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin: traceFields,
  };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}

function traceFields(): Record<string, string> {
  const ctx = trace.getActiveSpan()?.spanContext();
  return ctx && trace.isSpanContextValid(ctx) ? { trace_id: ctx.traceId, span_id: ctx.spanId } : {};
}
