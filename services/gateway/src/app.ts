import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { streamSSE } from "hono/streaming";
import { JobStatus, buildOpenApi, jobStatusName, parseJobKind, parseJobStatus, rest } from "@quire/contracts";
import { contextFromHeaders, inSpan, quireMetrics, SpanKind } from "@quire/runtime";
import { ErrorCode, QuireError, httpStatusOf, type Logger, type Pipeline } from "@quire/runtime";
import { authenticate } from "./auth.js";
import { mountCompat } from "./compat/index.js";
import type { GatewayConfig } from "./config.js";
import { streamJobEvents } from "./job-events-sse.js";
import { toJobView } from "./job-view.js";
import { renderDocsPage } from "./docs-page.js";
import { tooLarge, type OperationName, type Operations } from "./operations.js";
import { readBody, validate } from "./request-body.js";
import { createWebhookRoutes, type WebhookRoutesDeps } from "./webhook-routes.js";

export interface AppDeps {
  config: GatewayConfig;
  logger: Logger;
  pipeline: Pipeline;
  /** False once shutdown began, or when NATS / job-status are unreachable. */
  ready(): Promise<{ ok: boolean; checks: Record<string, string> }>;
  /** The operations behind every route (shared with the gRPC API). */
  ops: Operations;
  /** Aborted at shutdown, so sync calls still waiting answer 202 instead of being cut off. */
  signal: AbortSignal;
  /** /v1/webhooks (registrations, delivery log, replays); not mounted when absent. */
  webhooks?: WebhookRoutesDeps;
}

/** `jobId`: set by a request that submitted or named a job, so its request line says which. */
type Env = { Variables: { tenant: string; jobId?: string } };

/** Seconds a client is asked to wait after a 503 or 429. */
const RETRY_AFTER_S = 2;

export function createApp(deps: AppDeps): Hono<Env> {
  const app = new Hono<Env>();
  const { config, logger, pipeline, ops } = deps;

  app.onError((err, c) => {
    const e = QuireError.from(err);
    if (e.code === ErrorCode.Internal) logger.error({ err: e.cause ?? e, path: c.req.path }, "unhandled error");
    const message = e.code === ErrorCode.Internal ? "internal error" : e.message;
    // Worth a retry soon: say when (the SDK honours it).
    if (e.code === ErrorCode.Unavailable || e.code === ErrorCode.RateLimited) c.header("Retry-After", String(RETRY_AFTER_S));
    return c.json({ error: { code: e.code, message, details: e.details } }, httpStatusOf[e.code]);
  });
  app.notFound((c) => c.json({ error: { code: ErrorCode.NotFound, message: `no route ${c.req.method} ${c.req.path}`, details: {} } }, 404));

  app.use(async (c, next) => {
    const started = performance.now();
    const requestId = c.req.header("x-request-id")?.slice(0, 128) || `req_${crypto.randomUUID().replaceAll("-", "")}`;
    await inSpan(
      `${c.req.method}`,
      { "http.request.method": c.req.method, "url.path": c.req.path, "quire.request_id": requestId },
      async (span) => {
        await next();
        const route = c.req.matchedRoutes.filter((r) => r.method !== "ALL").at(-1)?.path ?? "unmatched";
        span.updateName(`${c.req.method} ${route}`);
        span.setAttributes({ "http.route": route, "http.response.status_code": c.res.status });
        c.res.headers.set("x-request-id", requestId);
        // Inside the span, so the line carries the request's trace id.
        const jobId = c.get("jobId");
        quireMetrics().httpDuration.record((performance.now() - started) / 1000, {
          "http.request.method": c.req.method,
          "http.route": route,
          "http.response.status_code": c.res.status,
        });
        logger.info(
          {
            requestId,
            method: c.req.method,
            path: c.req.path,
            status: c.res.status,
            ms: Math.round(performance.now() - started),
            ...(jobId ? { jobId } : {}),
          },
          "request",
        );
      },
      { parent: contextFromHeaders(c.req.raw.headers), kind: SpanKind.SERVER },
    );
  });

  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/readyz", async (c) => {
    const r = await deps.ready();
    return c.json({ status: r.ok ? "ready" : "not_ready", checks: r.checks }, r.ok ? 200 : 503);
  });
  const openapi = buildOpenApi();
  app.get("/openapi.json", (c) => c.json(openapi));
  const docs = renderDocsPage(openapi);
  app.get("/docs", (c) => c.html(docs));

  app.use("/v1/*", async (c, next) => {
    const tenant = authenticate(config.apiKeys, { get: (n) => c.req.header(n) });
    if (!tenant)
      throw new QuireError(ErrorCode.Unauthenticated, "missing or invalid API key: send x-api-key: KEY or Authorization: Bearer KEY");
    c.set("tenant", tenant);
    await next();
  });
  app.use(
    "/v1/*",
    bodyLimit({
      maxSize: config.maxFileBytes + 1024 * 1024,
      onError: () => {
        throw tooLarge(config.maxFileBytes);
      },
    }),
  );

  app.post("/v1/files", async (c) => {
    const { file } = await readBody(c);
    if (!file) throw new QuireError(ErrorCode.InvalidArgument, "send the document as a multipart field named file");
    const stored = await ops.storeUpload(c.get("tenant"), file);
    return c.json({ file_id: stored.fileId, bytes: stored.bytes, media_type: stored.mediaType, filename: stored.filename }, 201);
  });

  app.post("/v1/extract", (c) => processing(c, "extract"));
  app.post("/v1/split", (c) => processing(c, "split"));
  app.post("/v1/schema", (c) => processing(c, "schema"));

  app.get("/v1/extractions/:id", async (c) => c.json(await ops.getExtraction(c.get("tenant"), c.req.param("id"))));

  /** Every processing operation: the body read as fields, then the one submission path (operations.ts). */
  async function processing(c: Context<Env>, operation: OperationName): Promise<Response> {
    const { fields, file } = await readBody(c);
    const out = await ops.process({
      tenant: c.get("tenant"),
      operation,
      fields,
      file,
      idempotencyKey: c.req.header("idempotency-key"),
      signal: c.req.raw.signal,
      onJobId: (id) => c.set("jobId", id),
    });
    if (!out.ended) return c.json({ job_id: out.jobId, status: jobStatusName(out.status) }, 202);
    if (out.status === JobStatus.CANCELED) return c.json({ job_id: out.jobId, status: "canceled" }, 200);
    return c.json({ job_id: out.jobId, status: "completed", result: out.result }, 200);
  }

  app.get("/v1/jobs/:id", async (c) => {
    const job = await ops.getJob(c.get("tenant"), c.req.param("id"));
    return c.json(toJobView(job, await ops.resultOf(job)));
  });

  app.get("/v1/jobs/:id/events", async (c) => {
    const job = await ops.getJob(c.get("tenant"), c.req.param("id"));
    const last = Number(c.req.header("last-event-id") ?? "");
    const lastEventId = Number.isSafeInteger(last) && last > 0 ? last : undefined;
    return streamSSE(c, (stream) => streamJobEvents(stream, { pipeline, job, signal: deps.signal, lastEventId }));
  });

  app.get("/v1/jobs", async (c) => {
    const q = validate(rest.ListQuery, c.req.query());
    const res = await ops.listJobs(c.get("tenant"), {
      limit: q.limit,
      cursor: q.cursor,
      status: q.status ? parseJobStatus(q.status) : undefined,
      kind: q.kind ? parseJobKind(q.kind) : undefined,
    });
    return c.json({ jobs: res.jobs.map((j) => toJobView(j)), next_cursor: res.nextCursor || null });
  });

  app.delete("/v1/jobs/:id", async (c) => {
    const job = await ops.cancelJob(c.get("tenant"), c.req.param("id"));
    return c.json({ job_id: job.jobId, status: "canceled" }, 200);
  });

  if (deps.webhooks) app.route("/v1/webhooks", createWebhookRoutes(deps.webhooks));
  mountCompat(app, { config, ops, pipeline });

  return app;
}
