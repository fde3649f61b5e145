import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { streamSSE } from "hono/streaming";
import { streamJobEvents } from "./job-events-sse.js";
import { EventType, JobStatus, isTerminalStatus, parseJobKind, parseJobStatus, type Extraction, type Job } from "@quire/contracts";
import { contextFromHeaders, inSpan, SpanKind } from "@quire/runtime";
import { ErrorCode, MIN_DUPLICATE_WINDOW_MS, QuireError, httpStatusOf, isErrorCode, type Logger, type Pipeline } from "@quire/runtime";
import { authenticate } from "./auth.js";
import type { GatewayConfig } from "./config.js";
import { fetchAndStore, lookupFile, storeFile, type StoredFile } from "./inputs.js";
import type { JobsClient } from "./jobs-client.js";
import { toJobView } from "./job-view.js";
import { buildOpenApi } from "./openapi.js";
import { renderDocsPage } from "./docs-page.js";
import { readBody, validate } from "./request-body.js";
import { ExtractRequest, ListQuery } from "./schemas.js";
import { assertLanguagesInstalled } from "./languages.js";
import { checkWebhookTarget, newJobId, submitExtract } from "./submit.js";
import { createWebhookRoutes, type WebhookRoutesDeps } from "./webhook-routes.js";
import { requestHash, type Idempotency } from "./idempotency.js";
import type { Admission } from "./admission.js";

export interface AppDeps {
  config: GatewayConfig;
  logger: Logger;
  pipeline: Pipeline;
  jobs: JobsClient;
  /** False once shutdown began, or when NATS / job-status are unreachable. */
  ready(): Promise<{ ok: boolean; checks: Record<string, string> }>;
  idempotency: Idempotency;
  /** Throws RATE_LIMITED while the work queue is full. */
  admit: Admission;
  /** Aborted at shutdown, so sync calls still waiting answer 202 instead of being cut off. */
  signal: AbortSignal;
  /** /v1/webhooks (registrations, delivery log, replays); not mounted when absent. */
  webhooks?: WebhookRoutesDeps;
}

type Env = { Variables: { tenant: string } };

/** Seconds a client is asked to wait after a 503 or 429. */
const RETRY_AFTER_S = 2;
/** An Idempotency-Key whose job was never recorded is submitted again only this soon after its claim. */
const RESUBMIT_WITHIN_MS = MIN_DUPLICATE_WINDOW_MS / 2;

export function createApp(deps: AppDeps): Hono<Env> {
  const app = new Hono<Env>();
  const { config, logger, pipeline, jobs } = deps;

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
    await inSpan(`${c.req.method}`, { "http.request.method": c.req.method, "url.path": c.req.path, "quire.request_id": requestId },
      async (span) => {
        await next();
        const route = c.req.matchedRoutes.filter((r) => r.method !== "ALL").at(-1)?.path ?? "unmatched";
        span.updateName(`${c.req.method} ${route}`);
        span.setAttributes({ "http.route": route, "http.response.status_code": c.res.status });
      }, { parent: contextFromHeaders(c.req.raw.headers), kind: SpanKind.SERVER });
    c.res.headers.set("x-request-id", requestId);
    logger.info({ requestId, method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - started) }, "request");
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
  app.use("/v1/*", bodyLimit({
    maxSize: config.maxFileBytes + 1024 * 1024,
    onError: () => { throw tooLarge(config.maxFileBytes); },
  }));

  app.post("/v1/files", async (c) => {
    const { file } = await readBody(c);
    if (!file) throw new QuireError(ErrorCode.InvalidArgument, "send the document as a multipart field named file");
    const stored = await storeUpload(c, file);
    return c.json({ file_id: stored.fileId, bytes: stored.bytes, media_type: stored.mediaType, filename: stored.filename }, 201);
  });

  app.post("/v1/extract", async (c) => {
    const { fields, file } = await readBody(c);
    const req = validate(ExtractRequest, fields);
    assertLanguagesInstalled(req.languages); // before the upload is stored or a job exists
    checkWebhookTarget(req, config);
    const stored = await resolveInput(c, req, file);
    const tenant = c.get("tenant");
    let jobId = newJobId();
    // Before the key is claimed, so a refused request leaves no claim without a job behind it.
    await deps.admit();
    const idemKey = c.req.header("idempotency-key");
    if (idemKey) {
      const claim = await deps.idempotency.claim(tenant, idemKey, requestHash(stored.ref, req), jobId);
      if (!claim.fresh) {
        const job = await jobs.get(tenant, claim.jobId);
        // No such job: the first attempt claimed the key and then failed before recording it
        // (the broker went away), or it is still on its way. Submitting again under the same id
        // is safe while JetStream still drops the repeated publishes; after that, answer as is.
        if (job || Date.now() - claim.claimedAt > RESUBMIT_WITHIN_MS) return replay(c, claim.jobId, req.async, job);
        logger.info({ jobId: claim.jobId, tenant }, "idempotent retry of a job not recorded yet; submitting it under the same id");
      }
      jobId = claim.jobId;
    }
    const submitted = await submitExtract({ pipeline, config, logger, signal: deps.signal }, tenant, stored, req, req.async ? 0 : config.syncTimeoutMs, jobId);
    if (req.async || !submitted.end) return c.json({ job_id: submitted.jobId, status: "pending" }, 202);
    return answerEnded(c, submitted.jobId, statusOfEnd(submitted.end.type), submitted.end);
  });

  app.get("/v1/jobs/:id", async (c) => {
    const job = await getJobOr404(c.get("tenant"), c.req.param("id"));
    const result = job.status === JobStatus.COMPLETED && job.resultRef ? await loadResult(job.resultRef) : undefined;
    return c.json(toJobView(job, result));
  });

  app.get("/v1/jobs/:id/events", async (c) => {
    const tenant = c.get("tenant");
    const job = await getJobOr404(tenant, c.req.param("id"));
    return streamSSE(c, (stream) => streamJobEvents(stream, { pipeline, jobs, tenant, job, signal: deps.signal }));
  });

  app.get("/v1/jobs", async (c) => {
    const q = validate(ListQuery, c.req.query());
    const res = await jobs.list({
      tenantId: c.get("tenant"), limit: q.limit, cursor: q.cursor ?? "",
      status: q.status ? parseJobStatus(q.status) : JobStatus.UNSPECIFIED,
      ...(q.kind ? { kind: parseJobKind(q.kind) } : {}),
    });
    return c.json({ jobs: res.jobs.map((j) => toJobView(j)), next_cursor: res.nextCursor || null });
  });

  app.delete("/v1/jobs/:id", async (c) => {
    const tenant = c.get("tenant");
    const job = await getJobOr404(tenant, c.req.param("id"));
    if (isTerminalStatus(job.status)) throw alreadyEnded(job);
    const base = { jobId: job.jobId, tenantId: tenant, kind: job.kind };
    await pipeline.events.publish({ ...base, eventId: `${job.jobId}:cancel_requested`, type: EventType.CANCEL_REQUESTED });
    const claim = await pipeline.events.end({ ...base, type: EventType.CANCELED, error: { code: "CANCELED", message: "canceled by request" } });
    if (!claim.won) throw alreadyEnded({ ...job, status: statusOfEnd(claim.event.type) });
    return c.json({ job_id: job.jobId, status: "canceled" }, 200);
  });

  if (deps.webhooks) app.route("/v1/webhooks", createWebhookRoutes(deps.webhooks));

  /** A repeated Idempotency-Key: answer with the first request's job, never a second job. */
  async function replay(c: Context<Env>, jobId: string, isAsync: boolean, job: Job | null): Promise<Response> {
    if (!job || isAsync || !isTerminalStatus(job.status))
      return c.json({ job_id: jobId, status: job ? toJobView(job).status : "pending" }, 202);
    return answerEnded(c, jobId, job.status, job);
  }

  /** The sync answer for an ended job: its result, its error (with the job's code), or canceled. */
  async function answerEnded(
    c: Context<Env>, jobId: string, status: JobStatus, end: { error?: { code: string; message: string } | undefined; resultRef: string },
  ): Promise<Response> {
    if (status === JobStatus.FAILED) {
      const code = end.error?.code ?? "";
      throw new QuireError(isErrorCode(code) ? code : ErrorCode.Internal, end.error?.message ?? "the job failed", { job_id: jobId });
    }
    if (status === JobStatus.CANCELED) return c.json({ job_id: jobId, status: "canceled" }, 200);
    return c.json({ job_id: jobId, status: "completed", result: await loadResult(end.resultRef) }, 200);
  }

  async function storeUpload(c: Context<Env>, file: File): Promise<StoredFile> {
    if (file.size > config.maxFileBytes) throw tooLarge(config.maxFileBytes);
    return storeFile(pipeline.blobs, c.get("tenant"), new Uint8Array(await file.arrayBuffer()), file.name || null);
  }

  async function resolveInput(c: Context<Env>, req: ExtractRequest, file: File | null): Promise<StoredFile> {
    const given = [file, req.file_url, req.file_id].filter((v) => v !== null && v !== undefined).length;
    if (given !== 1) throw new QuireError(ErrorCode.InvalidArgument, "send exactly one of: multipart file, file_url, file_id");
    if (file) return storeUpload(c, file);
    if (req.file_url) return fetchAndStore(pipeline.blobs, config, c.get("tenant"), req.file_url);
    return lookupFile(pipeline.blobs, c.get("tenant"), req.file_id as string);
  }

  async function getJobOr404(tenant: string, jobId: string): Promise<Job> {
    const job = /^job_[0-9a-f]{32}$/.test(jobId) ? await jobs.get(tenant, jobId) : null;
    if (!job) throw new QuireError(ErrorCode.NotFound, `job ${jobId.slice(0, 80)} not found`);
    return job;
  }

  async function loadResult(ref: string): Promise<Extraction> {
    const bytes = await pipeline.blobs.get(pipeline.blobs.results, ref);
    if (!bytes) throw new QuireError(ErrorCode.NotFound, "the result has expired (results are kept for the retention period)");
    return JSON.parse(Buffer.from(bytes).toString("utf8")) as Extraction;
  }

  return app;
}

function tooLarge(maxBytes: number): QuireError {
  return new QuireError(ErrorCode.FileTooLarge, `the file is larger than the ${maxBytes}-byte limit (QUIRE_MAX_FILE_BYTES)`, { max_bytes: maxBytes });
}

function alreadyEnded(job: Job): QuireError {
  const status = JobStatus[job.status].toLowerCase();
  return new QuireError(ErrorCode.Conflict, `job ${job.jobId} has already ended (${status}); nothing to cancel`, { status });
}

function statusOfEnd(t: EventType): JobStatus {
  return t === EventType.COMPLETED ? JobStatus.COMPLETED : t === EventType.FAILED ? JobStatus.FAILED : JobStatus.CANCELED;
}
