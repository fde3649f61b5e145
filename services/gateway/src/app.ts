import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { streamSSE } from "hono/streaming";
import { streamJobEvents } from "./job-events-sse.js";
import { EventType, JobKind, JobStatus, isTerminalStatus, parseJobKind, parseJobStatus, type JobRecord } from "@quire/contracts";
import { contextFromHeaders, extractionRef, inSpan, SpanKind, storeFile, type StoredFile } from "@quire/runtime";
import { ErrorCode, MIN_DUPLICATE_WINDOW_MS, QuireError, httpStatusOf, isErrorCode, type Logger, type Pipeline } from "@quire/runtime";
import type { z } from "zod";
import { authenticate } from "./auth.js";
import type { GatewayConfig } from "./config.js";
import { fetchAndStore, lookupFile } from "./inputs.js";
import type { JobsClient } from "./jobs-client.js";
import { toJobView } from "./job-view.js";
import { buildOpenApi } from "./openapi.js";
import { renderDocsPage } from "./docs-page.js";
import { readBody, validate } from "./request-body.js";
import { ExtractRequest, ListQuery, SchemaRequest, SplitRequest, type ProcessingRequest } from "./schemas.js";
import { extractPlan, schemaPlan, splitPlan } from "./plans.js";
import { checkInputSchema } from "@quire/json-schema";
import { assertLanguagesInstalled } from "./languages.js";
import { checkWebhookTarget, newJobId, submitJob, type JobInput, type PlanStepInit } from "./submit.js";
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

/** `jobId`: set by a request that submitted or named a job, so its request line says which. */
type Env = { Variables: { tenant: string; jobId?: string } };

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
        c.res.headers.set("x-request-id", requestId);
        // Inside the span, so the line carries the request's trace id.
        const jobId = c.get("jobId");
        logger.info({ requestId, method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - started), ...(jobId ? { jobId } : {}) }, "request");
      }, { parent: contextFromHeaders(c.req.raw.headers), kind: SpanKind.SERVER });
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

  app.post("/v1/extract", (c) => processing(c, ExtractRequest, (req) => ({ kind: JobKind.EXTRACT, plan: extractPlan(req) })));
  app.post("/v1/split", (c) => processing(c, SplitRequest, (req) => ({ kind: JobKind.SPLIT, plan: splitPlan(req) })));
  app.post("/v1/schema", (c) => processing(c, SchemaRequest, (req) => {
    checkInputSchema(req.schema_config.input_schema); // 400 INVALID_SCHEMA with the pointer, before anything is stored
    return { kind: JobKind.SCHEMA, plan: schemaPlan(req) };
  }));

  app.get("/v1/extractions/:id", async (c) => {
    const id = c.req.param("id");
    return c.json(await loadExtraction(c.get("tenant"), id));
  });

  /**
   * Every processing operation goes through here: validate (before anything is stored or a job
   * exists), resolve the input, admit, claim the Idempotency-Key, submit the job's plan, and
   * answer sync (the result) or async (202).
   */
  async function processing<S extends z.ZodType<ProcessingRequest>>(
    c: Context<Env>, schema: S, planOf: (req: z.output<S>) => { kind: JobKind; plan: PlanStepInit[] },
  ): Promise<Response> {
    const { fields, file } = await readBody(c);
    const req = validate(schema, fields);
    assertLanguagesInstalled(req.languages); // before the upload is stored or a job exists
    checkWebhookTarget(req, config);
    const { kind, plan } = planOf(req);
    const input = await resolveInput(c, req, file, kind !== JobKind.EXTRACT);
    const tenant = c.get("tenant");
    let jobId = newJobId();
    // Before the key is claimed, so a refused request leaves no claim without a job behind it.
    await deps.admit();
    const idemKey = c.req.header("idempotency-key");
    if (idemKey) {
      const claim = await deps.idempotency.claim(tenant, idemKey, requestHash(`${c.req.path}\n${inputKey(input)}`, req), jobId);
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
    c.set("jobId", jobId);
    const submitted = await submitJob(
      { pipeline, config, logger, signal: deps.signal }, tenant, { kind, input, plan, options: req }, req.async ? 0 : config.syncTimeoutMs, jobId,
    );
    if (req.async || !submitted.end) return c.json({ job_id: submitted.jobId, status: "pending" }, 202);
    return answerEnded(c, submitted.jobId, statusOfEnd(submitted.end.type), submitted.end);
  }

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
  async function replay(c: Context<Env>, jobId: string, isAsync: boolean, job: JobRecord | null): Promise<Response> {
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

  /**
   * Exactly one input: an upload, a file_id, a file_url (fetched here for a sync call; by the
   * job for an async one, so the request is answered at once), or an extraction_id.
   */
  async function resolveInput(c: Context<Env>, req: ProcessingRequest, file: File | null, readsExtractions: boolean): Promise<JobInput> {
    const extractionId = "extraction_id" in req ? req.extraction_id : undefined;
    const given = [file, req.file_url, req.file_id, extractionId].filter((v) => v !== null && v !== undefined).length;
    const names = `multipart file, file_url, file_id${readsExtractions ? ", extraction_id" : ""}`;
    if (given !== 1) throw new QuireError(ErrorCode.InvalidArgument, `send exactly one of: ${names}`);
    const tenant = c.get("tenant");
    if (extractionId) {
      const ref = extractionRef(tenant, extractionId);
      if (!(await pipeline.blobs.has(pipeline.blobs.results, ref)) && !(await pipeline.blobs.has(pipeline.blobs.persisted, ref))) throw extractionNotFound(extractionId);
      return { extractionRef: ref };
    }
    if (req.file_url && req.async) return { fileUrl: req.file_url };
    const stored = file ? await storeUpload(c, file)
      : req.file_url ? await fetchAndStore(pipeline.blobs, config, tenant, req.file_url)
      : await lookupFile(pipeline.blobs, tenant, req.file_id as string);
    return { fileRef: stored.ref, mediaType: stored.mediaType };
  }

  async function loadExtraction(tenant: string, id: string): Promise<unknown> {
    const bytes = /^ext_[0-9a-f]{32}$/.test(id) ? await pipeline.blobs.getArtifact(extractionRef(tenant, id)) : null;
    if (!bytes) throw extractionNotFound(id);
    return JSON.parse(Buffer.from(bytes).toString("utf8")) as unknown;
  }

  async function getJobOr404(tenant: string, jobId: string): Promise<JobRecord> {
    const job = /^job_[0-9a-f]{32}$/.test(jobId) ? await jobs.get(tenant, jobId) : null;
    if (!job) throw new QuireError(ErrorCode.NotFound, `job ${jobId.slice(0, 80)} not found`);
    return job;
  }

  /** A job's result (an extraction, a split, …) as the stage stored it. */
  async function loadResult(ref: string): Promise<Record<string, unknown>> {
    const bytes = await pipeline.blobs.getArtifact(ref);
    if (!bytes) throw new QuireError(ErrorCode.NotFound, "the result has expired (results are kept for the retention period; persist: true keeps an extraction)");
    return JSON.parse(Buffer.from(bytes).toString("utf8")) as Record<string, unknown>;
  }

  return app;
}

/** What identifies a job's input in its Idempotency-Key hash. */
function inputKey(input: JobInput): string {
  return "fileRef" in input ? input.fileRef : "fileUrl" in input ? `url:${input.fileUrl}` : `extraction:${input.extractionRef}`;
}

function extractionNotFound(id: string): QuireError {
  return new QuireError(ErrorCode.NotFound, `extraction ${id.slice(0, 80)} not found (extractions are kept for the retention period unless extracted with persist: true)`);
}

function tooLarge(maxBytes: number): QuireError {
  return new QuireError(ErrorCode.FileTooLarge, `the file is larger than the ${maxBytes}-byte limit (QUIRE_MAX_FILE_BYTES)`, { max_bytes: maxBytes });
}

function alreadyEnded(job: JobRecord): QuireError {
  const status = JobStatus[job.status].toLowerCase();
  return new QuireError(ErrorCode.Conflict, `job ${job.jobId} has already ended (${status}); nothing to cancel`, { status });
}

function statusOfEnd(t: EventType): JobStatus {
  return t === EventType.COMPLETED ? JobStatus.COMPLETED : t === EventType.FAILED ? JobStatus.FAILED : JobStatus.CANCELED;
}
