import { context, propagation, trace, SpanKind, SpanStatusCode, type Context, type Span } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, TracerProvider, type SpanProcessor } from "@opentelemetry/sdk-trace";
import { headers as natsHeaders, type MsgHdrs } from "@nats-io/nats-core";

export interface TelemetryOptions {
  service: string;
  /** OTLP/HTTP base URL (OTEL_EXPORTER_OTLP_ENDPOINT); spans are exported only when set. */
  otlpEndpoint?: string | undefined;
}

export interface Telemetry {
  /** Flushes pending spans; call last at shutdown. */
  shutdown(): Promise<void>;
}

/**
 * Registers a tracer provider, the W3C trace-context propagator and an async context manager.
 * Trace context is always propagated (so one job keeps one trace across services even when
 * only some of them export); spans leave the process only when an OTLP endpoint is set.
 */
let active: Telemetry | undefined;

/** Flushes and stops the telemetry started in this process, if any (runMain calls it last). */
export async function shutdownTelemetry(): Promise<void> {
  const t = active;
  active = undefined;
  await t?.shutdown();
}

export function startTelemetry(opts: TelemetryOptions): Telemetry {
  if (active) return active;
  const spanProcessors: SpanProcessor[] = [];
  if (opts.otlpEndpoint) {
    const url = `${opts.otlpEndpoint.replace(/\/$/, "")}/v1/traces`;
    spanProcessors.push(new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url }), scheduledDelayMillis: 1_000 }));
  }
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ "service.name": `quire-${opts.service}`, "service.namespace": "quire" }),
    spanProcessors,
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  active = { shutdown: () => provider.shutdown() };
  return active;
}

export const tracer = () => trace.getTracer("quire");

/** The W3C trace id (32 hex) of the active span, or "" outside any trace. */
export function activeTraceId(): string {
  const ctx = trace.getActiveSpan()?.spanContext();
  return ctx && trace.isSpanContextValid(ctx) ? ctx.traceId : "";
}

/** NATS headers carrying the active trace context (`traceparent`), plus any given ones. */
export function traceHeaders(ctx: Context = context.active()): MsgHdrs {
  const h = natsHeaders();
  propagation.inject(ctx, h, { set: (carrier, key, value) => carrier.set(key, value) });
  return h;
}

/** Anything header-like: NATS MsgHdrs or fetch Headers. */
export interface HeaderCarrier {
  get(key: string): string | null | undefined;
  keys(): Iterable<string>;
}

/** The trace context a message or request carries, to parent the receiver's span. */
export function contextFromHeaders(h: HeaderCarrier | undefined): Context {
  if (!h) return context.active();
  return propagation.extract(context.active(), h, {
    get: (carrier, key) => carrier.get(key) || undefined,
    keys: (carrier) => [...carrier.keys()],
  });
}

/** Runs `fn` in the trace a message or request carries (no span of its own), so its log lines carry the trace id. */
export function inTraceOf<T>(h: HeaderCarrier | undefined, fn: () => T): T {
  return context.with(contextFromHeaders(h), fn);
}

/** The W3C traceparent of the active context ("" outside any trace), to keep with work done later. */
export function activeTraceparent(): string {
  return traceHeaders().get("traceparent") ?? "";
}

/** Runs `fn` in a span (a child of `parent`), recording an exception and error status on throw. */
export async function inSpan<T>(
  name: string,
  attributes: Record<string, string | number>,
  fn: (span: Span) => Promise<T>,
  opts: { parent?: Context; kind?: SpanKind } = {},
): Promise<T> {
  return tracer().startActiveSpan(
    name,
    { attributes, kind: opts.kind ?? SpanKind.INTERNAL },
    opts.parent ?? context.active(),
    async (span) => {
      try {
        return await fn(span);
      } catch (err) {
        span.recordException(err as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
        throw err;
      } finally {
        span.end();
      }
    },
  );
}

export { SpanKind } from "@opentelemetry/api";
