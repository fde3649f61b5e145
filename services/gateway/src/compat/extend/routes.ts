import { Hono, type Context } from "hono";
import { JobKind, compatMetadata, extendFile, extendRun, readCompat, type JobRecord, type VendorOp } from "@quire/contracts";
import { ErrorCode, QuireError, httpStatusOf } from "@quire/runtime";
import { toJobView } from "../../job-view.js";
import {
  compatBodyLimit,
  filePart,
  isUnsupported,
  jobView,
  jsonBody,
  tenantOf,
  unsupported,
  waitForJob,
  type CompatDeps,
  type CompatEnv,
} from "../common.js";
import { toQuireRequest } from "./requests.js";

/**
 * Extend's API (the `extend-ai` SDK, `new ExtendClient({ baseUrl: "<quire>/extend" })`) over
 * Quire's operations: the same tenants, jobs, pipeline and job store as /v1, answered as Extend
 * runs (packages/contracts vendor-compat). A run's id is its Quire job id.
 */

/**
 * Extend has no per-run webhook field (its endpoints are set up in its dashboard): a client that
 * wants Extend-style webhooks sends this header (e.g. `new ExtendClient({ headers: {…} })`), and
 * they are signed with the tenant's signing secret (GET /v1/webhooks/signing-secret).
 */
export const EXTEND_WEBHOOK_HEADER = "x-quire-webhook-url";

const KIND_OF: Record<VendorOp, JobKind> = { parse: JobKind.EXTRACT, extract: JobKind.SCHEMA, split: JobKind.SPLIT };

export function createExtendRoutes(deps: CompatDeps): Hono<CompatEnv> {
  const { config, ops } = deps;
  const app = new Hono<CompatEnv>();

  app.onError((err, c) => {
    const e = QuireError.from(err);
    const status = isUnsupported(e) ? 501 : httpStatusOf[e.code];
    const message = e.code === ErrorCode.Internal ? "internal error" : e.message;
    if (c.req.path.endsWith("/files/upload") && (status >= 500 || status === 429)) c.header("x-should-retry", "false");
    return c.json({ code: isUnsupported(e) ? "NOT_IMPLEMENTED" : e.code, message, retryable: false }, status as 400);
  });

  app.use("*", compatBodyLimit(config));
  app.use("*", async (c, next) => {
    c.set("tenant", tenantOf(c, config));
    await next();
  });

  app.post("/files/upload", async (c) => {
    const file = await filePart(c);
    const stored = await ops.storeUpload(c.get("tenant"), file);
    const at = new Date().toISOString();
    return c.json({
      ...extendFile({ vendor: "extend", op: "parse", fileId: stored.fileId, fileName: file.name || "file" }, at),
      type: typeOf(stored.mediaType),
    });
  });

  for (const op of ["parse", "extract", "split"] as const) {
    app.post(`/${op}`, (c) => processing(c, op, false));
    app.post(`/${op}_runs`, (c) => processing(c, op, true));
    app.get(`/${op}_runs/:id`, async (c) => c.json(await runOf(c.get("tenant"), c.req.param("id"))));
    app.post(`/${op}_runs/:id/cancel`, async (c) => {
      const tenant = c.get("tenant");
      await ops.cancelJob(tenant, c.req.param("id"));
      return c.json(await runOf(tenant, c.req.param("id")));
    });
    app.get(`/${op}_runs`, async (c) => {
      const limit = Math.min(100, Math.max(1, Number(c.req.query("maxPageSize") ?? 20) || 20));
      const res = await ops.listJobs(c.get("tenant"), { limit, cursor: c.req.query("nextPageToken") || undefined, kind: KIND_OF[op] });
      const data = res.jobs.map((j) => {
        const view = toJobView(j);
        const { output: _, ...summary } = extendRun(view as never, null, readCompat(view.metadata));
        return summary;
      });
      return c.json({ object: "list", data, ...(res.nextCursor ? { nextPageToken: res.nextCursor } : {}) });
    });
    app.delete(`/${op}_runs/:id`, () => {
      throw unsupported("deleting runs (they expire with Quire's retention period)");
    });
    app.post(`/${op}_runs/batch`, () => {
      throw unsupported("batch runs (create one run per file)");
    });
  }

  async function processing(c: Context<CompatEnv>, op: VendorOp, isAsync: boolean): Promise<Response> {
    const tenant = c.get("tenant");
    const req = toQuireRequest(op, await jsonBody(c), isAsync);
    const webhookUrl = c.req.header(EXTEND_WEBHOOK_HEADER);
    let jobId: string;
    try {
      const out = await ops.process({
        tenant,
        operation: req.operation,
        file: null,
        idempotencyKey: c.req.header("idempotency-key"),
        fields: { ...req.fields, metadata: compatMetadata(req.info), ...(webhookUrl ? { webhook_url: webhookUrl } : {}) },
        webhookStyle: webhookUrl ? "extend" : undefined,
        signal: c.req.raw.signal,
        onJobId: (id) => c.set("jobId", id),
      });
      jobId = out.jobId;
    } catch (err) {
      // A sync run that failed is answered as the FAILED run, as Extend does; a refused request is an error.
      const jobIdOf = QuireError.from(err).details?.job_id;
      if (isAsync || typeof jobIdOf !== "string") throw err;
      jobId = jobIdOf;
    }
    if (isAsync) {
      const now = new Date().toISOString();
      return c.json(
        extendRun({ job_id: jobId, kind: "", status: "pending", created_at: now, updated_at: now, metadata: {} }, null, req.info),
      );
    }
    const job = await waitForJob(deps, tenant, jobId, config.syncTimeoutMs, c.req.raw.signal);
    return c.json(await runOfJob(job));
  }

  async function runOf(tenant: string, id: string) {
    return runOfJob(await ops.getJob(tenant, id));
  }

  async function runOfJob(job: JobRecord) {
    const view = await jobView(ops, job);
    return extendRun(view as never, view.result ?? null, readCompat(view.metadata));
  }

  const notImplemented = (what: string) => () => {
    throw unsupported(what);
  };
  for (const res of [
    "classify",
    "classify_runs",
    "edit",
    "edit_runs",
    "workflow_runs",
    "workflows",
    "extractors",
    "splitters",
    "classifiers",
    "webhook_endpoints",
    "webhook_subscriptions",
    "batch_runs",
    "evaluation_sets",
  ])
    app.all(`/${res}/*`, notImplemented(`/${res}`)).all(`/${res}`, notImplemented(`/${res}`));
  app.all("*", (c) => c.json({ code: "NOT_FOUND", message: `no route ${c.req.method} ${c.req.path}`, retryable: false }, 404));

  return app;
}

function typeOf(mediaType: string): string {
  return mediaType === "application/pdf" ? "PDF" : mediaType.startsWith("image/") ? "IMG" : "PDF";
}
