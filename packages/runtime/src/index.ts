// Errors and configuration
export { ErrorCode, QuireError, httpStatusOf, grpcStatusOf, isQuireError, isErrorCode } from "./errors.js";
export { assertLanguagesInstalled } from "./ocr/languages.js";
export {
  ConfigError,
  parseConfig,
  baseEnv,
  baseEnvShape,
  baseConfig,
  boolEnv,
  csvInts,
  positiveInt,
  fetchEnvShape,
  fetchConfig,
  llmEnvShape,
  llmConfig,
  secretsEnvShape,
} from "./config.js";
export {
  parseKeyring,
  seal,
  open as openSealed,
  isSealed,
  jobSecretContext,
  endpointSecretContext,
  tenantSecretContext,
} from "./secrets/secret-box.js";
export type { Keyring } from "./secrets/secret-box.js";
export type { BaseConfig, BaseEnv, FetchConfig, LlmConfig } from "./config.js";

// Logging and process lifecycle
export { createLogger } from "./logger.js";
export type { Logger, LoggerOptions } from "./logger.js";
export { runMain } from "./lifecycle.js";
export type { Main, Teardown, RunMainOptions } from "./lifecycle.js";

// NATS JetStream wiring
export { connectNats } from "./nats/connect.js";
export type { NatsConnection, ConnectOptions } from "./nats/connect.js";
export {
  ensureTopology,
  STAGES,
  WORK_STREAM,
  EVENTS_STREAM,
  ADVISORY_STREAM,
  FILES_BUCKET,
  RESULTS_BUCKET,
  PERSISTED_BUCKET,
  JOB_END_BUCKET,
  IDEMPOTENCY_BUCKET,
  workSubject,
  eventSubject,
  NOTIFIER_CONSUMER,
  MIN_DUPLICATE_WINDOW_MS,
} from "./nats/topology.js";
export type { Stage, TopologyOptions } from "./nats/topology.js";
export { openBlobs, sha256Hex } from "./nats/object-store.js";
export { extractionIdOf, extractionRef, isExtractionId, jobResultRef, readJobExtraction, resultIdOf } from "./artifacts.js";
export { SUPPORTED_TYPES, fileRef, isSupported, sniffMediaType, storeFile, unsupportedMessage } from "./file-type.js";
export type { StoredFile } from "./file-type.js";
export type { Blobs, BlobOptions } from "./nats/object-store.js";
export { createJobEvents, isTerminalEvent } from "./nats/events.js";
export type { JobEvents, JobEventInit, EndClaim } from "./nats/events.js";
export { createStageWorker, JobEndedError, BACKOFF_MS } from "./nats/stage-worker.js";
export type { StageContext, StageDefinition, StageOutput, StageWorker, StageWorkerDeps } from "./nats/stage-worker.js";
export { STAGE_WEIGHTS, currentStep, isStage, planPct, stepOptions } from "./nats/plan.js";
export { jobTimings, StageClock } from "./nats/timings.js";
export { ENGINES, engineEnv, engineFor, requireLlm } from "./engines.js";
export type { Engine, EngineSettings } from "./engines.js";
export { createReadingStage } from "./reading-stage.js";
export type { ReadingContext, ReadingHandler, ReadingStageDeps, ReadingStore } from "./reading-stage.js";
export { superviseConsumer } from "./nats/supervised-consumer.js";
export type { SupervisedConsumer, SupervisedConsumerOptions } from "./nats/supervised-consumer.js";
export { startNatsServer } from "./nats-server.js";
export type { NatsServer, NatsServerOptions } from "./nats-server.js";
export { openPipeline } from "./pipeline.js";
export type { Pipeline } from "./pipeline.js";

// Metrics (OpenTelemetry; Prometheus /metrics on QUIRE_METRICS_PORT, OTLP when configured)
export { startMetrics, shutdownMetrics, quireMetrics, observeGauge } from "./metrics.js";
export type { MetricsOptions, QuireInstruments } from "./metrics.js";

// gRPC servers (standard health check, errors from the one table)
export { addHealthService, healthDefinition, HEALTH_SERVICE } from "./grpc/health.js";
export type { HealthCheckRequest, HealthCheckResponse } from "./grpc/health.js";
export { failedCall, fromGrpcError, toGrpcError, unaryHandler, GRPC_RETRY_AFTER_MS } from "./grpc/unary.js";
export { serveGrpc } from "./grpc/serve.js";
export type { ServingGrpc } from "./grpc/serve.js";
export type { UnaryHandler } from "./grpc/unary.js";

// Outbound HTTP to user-supplied targets
export { isPublicAddress, isAllowedAddress, checkTargetUrl, guardedLookup } from "./net/target-guard.js";
export type { TargetPolicy } from "./net/target-guard.js";
export { fetchUrl } from "./net/fetch-url.js";
export type { FetchLimits, FetchedFile } from "./net/fetch-url.js";

// Tracing (OpenTelemetry; W3C traceparent in NATS headers)
export {
  startTelemetry,
  shutdownTelemetry,
  activeTraceId,
  activeTraceparent,
  inTraceOf,
  traceHeaders,
  contextFromHeaders,
  inSpan,
  tracer,
  SpanKind,
} from "./telemetry.js";
export type { Telemetry, TelemetryOptions, HeaderCarrier } from "./telemetry.js";
