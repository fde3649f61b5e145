import type { Logger } from "./logger.js";
import type { BaseConfig } from "./config.js";
import { connectNats, type NatsConnection } from "./nats/connect.js";
import { createJobEvents, type JobEvents } from "./nats/events.js";
import { openBlobs, type Blobs } from "./nats/object-store.js";
import { ensureTopology } from "./nats/topology.js";
import { startMetrics } from "./metrics.js";
import { startTelemetry } from "./telemetry.js";

export interface Pipeline {
  nc: NatsConnection;
  events: JobEvents;
  blobs: Blobs;
}

/**
 * What every service needs from NATS: a connection, the declared topology (created or
 * updated idempotently), the job-event publisher and the object store buckets.
 */
export async function openPipeline(config: BaseConfig, logger: Logger, name: string): Promise<Pipeline> {
  const service = name.replace(/^quire-/, "");
  startTelemetry({ service, otlpEndpoint: config.otlpEndpoint });
  startMetrics({
    service,
    port: config.metricsPort,
    host: config.metricsHost,
    otlpEndpoint: config.otlpEndpoint,
    onListen: (err) =>
      err
        ? logger.error(
            { err, port: config.metricsPort },
            "the /metrics endpoint cannot listen (QUIRE_METRICS_PORT taken?); metrics are not served",
          )
        : logger.info({ port: config.metricsPort, host: config.metricsHost }, "metrics at /metrics"),
  });
  const nc = await connectNats(config.natsUrl, { logger, name });
  await ensureTopology(nc, {
    retentionMs: config.retentionMs,
    ackWaitMs: config.ackWaitMs,
    maxDeliver: config.maxDeliver,
    maxQueuedJobs: config.maxQueuedJobs,
  });
  const events = await createJobEvents(nc);
  const blobs = await openBlobs(nc);
  return { nc, events, blobs };
}
