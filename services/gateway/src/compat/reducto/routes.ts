import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import { Hono, type Context } from "hono";
import {
  JobStatus,
  compatMetadata,
  opOfKind,
  readCompat,
  reductoJobStatus,
  reductoListStatus,
  reductoResult,
  reductoType,
  type VendorOp,
} from "@quire/contracts";
import { ErrorCode, QuireError, fileRef, httpStatusOf, isSupported, sha256Hex, sniffMediaType, unsupportedMessage } from "@quire/runtime";
import { tooLarge } from "../../operations.js";
import { toJobView } from "../../job-view.js";
import {
  compatBodyLimit,
  filePart,
  isUnsupported,
  jobView,
  jsonBody,
  parseJsonObject,
  tenantOf,
  unsupported,
  waitForJob,
  type CompatDeps,
  type CompatEnv,
} from "../common.js";
import { reductoFileId, toQuireRequest } from "./requests.js";

/**
 * Reducto's API (the `reductoai` SDK, `new Reducto({ baseURL: "<quire>/reducto" })`) over
 * Quire's operations: the same tenants, jobs, pipeline and job store as /v1, answered in
 * Reducto's snake_case shapes (packages/contracts vendor-compat) with FastAPI-style errors.
 */

/**
 * Reducto's SDK retries timeouts, connection errors, 408/409/429/5xx with no idempotency key,
 * so one slow or failed call can arrive up to three times. Every processing POST is therefore
 * keyed by a hash of its route and exact body (through the gateway's Idempotency-Key store, per
 * tenant): a repeat within this window is answered with the first request's job instead of
 * making another. Short-lived, because the same body sent deliberately later is a new job;
 * retries come within seconds of a failed answer (backoff 0.5 s, 1 s). An explicit
 * Idempotency-Key header from the caller takes precedence and keeps its usual 24 h.
 */
const RETRY_DEDUPE_WINDOW_MS = 10 * 60_000;

/** How long a presigned upload URL (the JSON `/upload` flow) stays good. */
const PRESIGNED_TTL_MS = 60 * 60_000;

export function createReductoRoutes(deps: CompatDeps): Hono<CompatEnv> {
  const { config, ops, pipeline } = deps;
  const app = new Hono<CompatEnv>();

  // Every answer is application/json (the SDK hands anything else to the app as a string);
  // errors are FastAPI's {"detail": …}. 409 is never used (the SDK retries it): a conflict is a 400.
  app.onError((err, c) => {
    const e = QuireError.from(err);
    const status = isUnsupported(e) ? 501 : e.code === ErrorCode.Conflict ? 400 : httpStatusOf[e.code];
    const detail = e.code === ErrorCode.Internal ? "internal error" : e.message;
    // A retry would not help (or would resend a one-shot upload body as nothing): say so.
    if (status === 501 || c.req.path.endsWith("/upload")) c.header("x-should-retry", "false");
    const { UNSUPPORTED: _, ...details } = e.details ?? {};
    return c.json({ detail, code: e.code, ...(Object.keys(details).length ? { details } : {}) }, status as 400);
  });

  app.use("*", compatBodyLimit(config));
  // The presigned PUT carries its own signature instead of an API key.
  app.use("*", async (c, next) => {
    if (!c.req.path.includes("/presigned/")) c.set("tenant", tenantOf(c, config));
    await next();
  });

  app.get("/version", (c) => c.json("quire-compat-0.16"));

  app.post("/upload", async (c) => {
    const tenant = c.get("tenant");
    if ((c.req.header("content-type") ?? "").startsWith("multipart/form-data")) {
      const stored = await ops.storeUpload(tenant, await filePart(c));
      return c.json({ file_id: reductoFileId(stored.fileId), presigned_url: null });
    }
    const body = await jsonBody(c);
    if (body.file !== undefined)
      throw new QuireError(
        ErrorCode.InvalidArgument,
        "file: send the document as a multipart part (a path string is not read); or send {} for a presigned upload URL",
      );
    // Large-file flow: an id now, the bytes by PUT to the presigned URL.
    const uploadId = randomUUID().replaceAll("-", "");
    const fileId = `file_${sha256Hex(Buffer.from(`upload:${tenant}:${uploadId}`))}`;
    const token = signToken(tenant, { t: tenant, u: uploadId, e: Date.now() + PRESIGNED_TTL_MS });
    const base = new URL(c.req.url);
    const prefix = c.req.path.slice(0, -"/upload".length);
    return c.json({ file_id: reductoFileId(fileId), presigned_url: `${base.origin}${prefix}/presigned/${token}` });
  });

  app.put("/presigned/:token", async (c) => {
    const claim = openToken(c.req.param("token"));
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    if (bytes.byteLength > config.maxFileBytes) throw tooLarge(config.maxFileBytes);
    if (bytes.byteLength === 0) throw new QuireError(ErrorCode.InvalidArgument, "the file is empty");
    const mediaType = sniffMediaType(bytes);
    if (!isSupported(mediaType))
      throw new QuireError(ErrorCode.UnsupportedFileType, unsupportedMessage(mediaType), { detected: mediaType });
    const sha = sha256Hex(Buffer.from(`upload:${claim.t}:${claim.u}`));
    await pipeline.blobs.files.putBlob({ name: fileRef(claim.t, sha), description: mediaType }, bytes);
    return c.json({});
  });

  for (const op of ["parse", "extract", "split"] as const) {
    app.post(`/${op}`, (c) => processing(c, op, false));
    app.post(`/${op}_async`, (c) => processing(c, op, true));
  }

  async function processing(c: Context<CompatEnv>, op: VendorOp, asyncRoute: boolean): Promise<Response> {
    const started = performance.now();
    const tenant = c.get("tenant");
    const raw = await c.req.text();
    const body = parseJsonObject(raw);
    const req = toQuireRequest(op, body, asyncRoute);
    const explicitKey = c.req.header("idempotency-key");
    const out = await ops.process({
      tenant,
      operation: req.operation,
      file: null,
      fields: { ...req.fields, metadata: compatMetadata(req.info) },
      idempotencyKey: explicitKey ?? `reducto:${sha256Hex(Buffer.from(`${c.req.path}\n${raw}`))}`,
      idempotencyWindowMs: explicitKey ? undefined : RETRY_DEDUPE_WINDOW_MS,
      webhookStyle: req.webhookUrl ? "reducto" : undefined,
      signal: c.req.raw.signal,
      onJobId: (id) => c.set("jobId", id),
    });
    if (req.fields.async) return c.json({ job_id: out.jobId });
    const duration = (performance.now() - started) / 1000;
    if (out.ended && out.status === JobStatus.COMPLETED) return c.json(reductoResult(op, out.jobId, out.result, req.info, duration));
    // A deduped retry of a sync call still running (or the sync limit passed): wait on as the first did.
    const job = await waitForJob(deps, tenant, out.jobId, config.syncTimeoutMs, c.req.raw.signal);
    const view = await jobView(ops, job);
    if (job.status === JobStatus.COMPLETED) return c.json(reductoResult(op, job.jobId, view.result, req.info, duration));
    if (job.status === JobStatus.FAILED)
      throw new QuireError(ErrorCode.Internal, view.error?.message ?? "the job failed", { job_id: job.jobId });
    return c.json({ job_id: job.jobId, status: reductoJobStatus(view.status as "pending") });
  }

  app.get("/job/:id", async (c) => {
    const job = await ops.getJob(c.get("tenant"), c.req.param("id"));
    const view = await jobView(ops, job);
    const info = readCompat(view.metadata);
    const op = info?.op ?? opOfKind(view.kind);
    const status = reductoJobStatus(view.status as "pending");
    const duration = ((job.completedAtUnixMs || Date.now()) - job.createdAtUnixMs) / 1000;
    return c.json({
      job_id: job.jobId,
      status,
      type: reductoType(op),
      progress: view.progress.pct,
      reason: view.status === "canceled" ? "Cancelled" : view.status === "failed" ? (view.error?.message ?? "the job failed") : null,
      result: view.result ? reductoResult(op, job.jobId, view.result, info, duration) : null,
      metadata: info?.metadata ?? null,
    });
  });

  app.post("/cancel/:id", async (c) => {
    await ops.cancelJob(c.get("tenant"), c.req.param("id"));
    return c.json({});
  });

  app.get("/jobs", async (c) => {
    const limit = Math.min(100, Math.max(1, Number(c.req.query("limit") ?? 20) || 20));
    const res = await ops.listJobs(c.get("tenant"), { limit, cursor: c.req.query("cursor") || undefined });
    const jobs = res.jobs.map((j) => {
      const view = toJobView(j);
      return {
        job_id: j.jobId,
        status: reductoListStatus(view.status as "pending"),
        type: reductoType(readCompat(view.metadata)?.op ?? opOfKind(view.kind)),
        created_at: view.created_at,
        raw_config: null,
        num_pages: null,
        total_pages: null,
        duration: j.completedAtUnixMs ? (j.completedAtUnixMs - j.createdAtUnixMs) / 1000 : null,
      };
    });
    return c.json({ jobs, next_cursor: res.nextCursor || null });
  });

  for (const path of ["/classify", "/edit", "/edit_async", "/pipeline", "/pipeline_async", "/configure_webhook"])
    app.post(path, () => {
      throw unsupported(`POST ${path} (supported: upload, parse, extract, split and their _async, job, cancel, jobs, version)`);
    });
  app.all("*", (c) => c.json({ detail: `no route ${c.req.method} ${c.req.path}` }, 404));

  /** The presigned URL's signature: HMAC with the tenant's API key digests, so any gateway replica of this config accepts it. */
  function signToken(tenant: string, claim: { t: string; u: string; e: number }): string {
    const payload = Buffer.from(JSON.stringify(claim)).toString("base64url");
    return `${payload}.${mac(tenant, payload)}`;
  }

  function openToken(token: string): { t: string; u: string; e: number } {
    const [payload = "", sig = ""] = token.split(".");
    const invalid = new QuireError(
      ErrorCode.Unauthenticated,
      "the presigned URL is invalid or has expired; ask POST /upload for a new one",
    );
    let claim: { t: string; u: string; e: number };
    try {
      claim = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as typeof claim;
    } catch {
      throw invalid;
    }
    const want = Buffer.from(mac(String(claim.t), payload));
    const got = Buffer.from(sig);
    if (want.length !== got.length || !timingSafeEqual(want, got) || !(claim.e > Date.now())) throw invalid;
    return claim;
  }

  function mac(tenant: string, payload: string): string {
    const key = Buffer.concat(config.apiKeys.filter((k) => k.tenant === tenant).map((k) => k.digest));
    if (key.length === 0) return "";
    return createHmac("sha256", key).update(`reducto-presigned\n${payload}`).digest("base64url");
  }

  return app;
}
