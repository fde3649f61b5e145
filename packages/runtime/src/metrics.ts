import { metrics, type Counter, type Histogram, type Meter, type ObservableGauge } from "@opentelemetry/api";
import { OTLPMetricExporter } from "@opentelemetry/exporter-metrics-otlp-http";
import { PrometheusExporter } from "@opentelemetry/exporter-prometheus";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { MeterProvider, PeriodicExportingMetricReader, type IMetricReader } from "@opentelemetry/sdk-metrics";

export interface MetricsOptions {
  service: string;
  /** Port of the Prometheus `/metrics` endpoint; 0 serves none. */
  port: number;
  host: string;
  /** OTLP/HTTP base URL; metrics are pushed there too when set. */
  otlpEndpoint?: string | undefined;
  /** Told once the endpoint listens, or that it cannot (port taken): metrics still go to OTLP then. */
  onListen?: (err?: Error) => void;
}

let provider: MeterProvider | undefined;
let instruments: QuireInstruments | undefined;

/**
 * Registers the process's meter provider: a Prometheus `/metrics` endpoint on `port` (what
 * Prometheus scrapes and KEDA can read) and, with an OTLP endpoint, a push every 15 s.
 */
export function startMetrics(opts: MetricsOptions): void {
  if (provider) return;
  const readers: IMetricReader[] = [];
  if (opts.port > 0) readers.push(new PrometheusExporter({ port: opts.port, host: opts.host }, (err) => opts.onListen?.(err || undefined)));
  if (opts.otlpEndpoint) {
    const url = `${opts.otlpEndpoint.replace(/\/$/, "")}/v1/metrics`;
    readers.push(new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter({ url }), exportIntervalMillis: 15_000 }));
  }
  provider = new MeterProvider({
    resource: resourceFromAttributes({ "service.name": `quire-${opts.service}`, "service.namespace": "quire" }),
    readers,
  });
  metrics.setGlobalMeterProvider(provider);
  instruments = undefined;
}

/** Flushes and stops the metrics of this process, if started. */
export async function shutdownMetrics(): Promise<void> {
  const p = provider;
  provider = undefined;
  await p?.shutdown();
}

/** Quire's instruments, one set per process; no-ops until startMetrics ran. */
export interface QuireInstruments {
  meter: Meter;
  /** Jobs accepted by the gateway, by kind. */
  jobsSubmitted: Counter<{ kind: string }>;
  /** Jobs ended, by kind and status, counted once by whichever service ended the job. */
  jobsEnded: Counter<{ kind: string; status: string }>;
  /** Time one delivery of a stage message took, by stage and outcome (ok, retry, failed, ended). */
  stageDuration: Histogram<{ stage: string; outcome: string }>;
  /** Stage messages delivered again (a worker died or timed out, or a retry). */
  redeliveries: Counter<{ stage: string }>;
  /** Pages read by parse, and how many of them through OCR. */
  pages: Counter<{ stage: string; ocr: string }>;
  /** Webhook attempts by outcome (delivered, failed, refused, interrupted). */
  webhookAttempts: Counter<{ outcome: string }>;
  /** HTTP requests served, by method, route and status. */
  httpDuration: Histogram<{ "http.request.method": string; "http.route": string; "http.response.status_code": number }>;
  /** gRPC calls served, by method and code. */
  rpcDuration: Histogram<{ "rpc.method": string; "rpc.grpc.status_code": string }>;
}

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

export function quireMetrics(): QuireInstruments {
  if (instruments) return instruments;
  const meter = metrics.getMeter("quire");
  const seconds = (name: string, description: string) =>
    meter.createHistogram(name, { description, unit: "s", advice: { explicitBucketBoundaries: SECONDS } });
  const made: QuireInstruments = {
    meter,
    jobsSubmitted: meter.createCounter("quire.jobs.submitted", { description: "Jobs accepted, by kind" }),
    jobsEnded: meter.createCounter("quire.jobs.ended", { description: "Jobs ended, by kind and status (completed, failed, canceled)" }),
    stageDuration: seconds("quire.stage.duration", "Time one delivery of a stage message took, by stage and outcome"),
    redeliveries: meter.createCounter("quire.stage.redeliveries", { description: "Stage messages delivered more than once" }),
    pages: meter.createCounter("quire.pages", { description: "Pages read, by stage and whether OCR read them" }),
    webhookAttempts: meter.createCounter("quire.webhook.attempts", { description: "Webhook attempts by outcome" }),
    httpDuration: seconds("http.server.request.duration", "HTTP requests served"),
    rpcDuration: seconds("rpc.server.call.duration", "gRPC calls served"),
  };
  // Only keep the set once a real provider is registered: before that the meter is a no-op.
  if (provider) instruments = made;
  return made;
}

/** A gauge read at each scrape, e.g. a consumer's backlog. */
export function observeGauge(
  name: string,
  description: string,
  read: () => Promise<Array<{ value: number; attributes: Record<string, string> }>>,
): ObservableGauge {
  const gauge = metrics.getMeter("quire").createObservableGauge(name, { description });
  gauge.addCallback(async (result) => {
    try {
      for (const r of await read()) result.observe(r.value, r.attributes);
    } catch {
      // Nothing to report this time (broker unreachable): the series goes stale, it does not lie.
    }
  });
  return gauge;
}
