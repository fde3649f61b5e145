import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { isTerminalStatus, type JobRecord } from "@quire/contracts";
import { ErrorCode, QuireError, isTerminalEvent, type Pipeline } from "@quire/runtime";
import { authenticate } from "../auth.js";
import type { GatewayConfig } from "../config.js";
import { followJob } from "../follow-job.js";
import { toJobView } from "../job-view.js";
import { tooLarge, type Operations } from "../operations.js";

/** What the vendor routes (compat/reducto, compat/extend) need: the same operations as /v1. */
export interface CompatDeps {
  config: GatewayConfig;
  ops: Operations;
  pipeline: Pipeline;
}

export type CompatEnv = { Variables: { tenant: string; jobId?: string } };

/** The same tenants and API keys as /v1 (`Authorization: Bearer KEY`, as both SDKs send it). */
export function tenantOf(c: Context<CompatEnv>, config: GatewayConfig): string {
  const tenant = authenticate(config.apiKeys, { get: (n) => c.req.header(n) });
  if (!tenant) throw new QuireError(ErrorCode.Unauthenticated, "missing or invalid API key: send Authorization: Bearer KEY");
  return tenant;
}

export const compatBodyLimit = (config: GatewayConfig) =>
  bodyLimit({
    maxSize: config.maxFileBytes + 1024 * 1024,
    onError: () => {
      throw tooLarge(config.maxFileBytes);
    },
  });

/** The JSON body as an object; an empty body (Reducto's and Extend's cancel) is {}. */
export async function jsonBody(c: Context): Promise<Record<string, unknown>> {
  return parseJsonObject(await c.req.text());
}

export function parseJsonObject(text: string): Record<string, unknown> {
  if (text.trim() === "") return {};
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new QuireError(ErrorCode.InvalidArgument, "the body is not valid JSON");
  }
  if (typeof v !== "object" || v === null || Array.isArray(v))
    throw new QuireError(ErrorCode.InvalidArgument, "the JSON body must be an object");
  return v as Record<string, unknown>;
}

/** The upload's `file` part. Its bytes decide its type (storeFile sniffs `%PDF-`): both SDKs label it application/octet-stream. */
export async function filePart(c: Context): Promise<File> {
  let form: Record<string, string | File | (string | File)[]>;
  try {
    form = await c.req.parseBody({ all: true });
  } catch {
    throw new QuireError(ErrorCode.InvalidArgument, "the multipart body could not be read");
  }
  const file = form.file;
  if (!(file instanceof File)) throw new QuireError(ErrorCode.InvalidArgument, "send the document as a multipart file part named file");
  return file;
}

/** The job in the REST view's shape (what the vendor mappings read), with its result once completed. */
export async function jobView(ops: Operations, job: JobRecord) {
  return toJobView(job, await ops.resultOf(job));
}

/**
 * A sync vendor call's job once it has ended, or as it stands when `ms` pass: its events are
 * followed on the stream (the gateway's one way of following a job), then the job is read at
 * least as far as its terminal event, so the projection cannot answer an older state.
 */
export async function waitForJob(deps: CompatDeps, tenant: string, jobId: string, ms: number, signal: AbortSignal): Promise<JobRecord> {
  const job = await getJobSoon(deps.ops, tenant, jobId);
  if (isTerminalStatus(job.status)) return job;
  let endSeq = 0;
  for await (const { seq, event } of followJob(deps.pipeline.nc, jobId, job.seq + 1, AbortSignal.any([signal, AbortSignal.timeout(ms)])))
    if (isTerminalEvent(event.type)) endSeq = seq;
  return deps.ops.getJob(tenant, jobId, endSeq);
}

/**
 * A job whose key a deduped retry shares but whose first request may not have recorded it yet
 * (its `accepted` not yet published, so job-status cannot wait for it): NOT_FOUND is asked again
 * for a short while. A job read after its `accepted` needs none of this (job-status waits).
 */
async function getJobSoon(ops: Operations, tenant: string, jobId: string, withinMs = 1_500): Promise<JobRecord> {
  const until = Date.now() + withinMs;
  for (;;) {
    try {
      return await ops.getJob(tenant, jobId);
    } catch (err) {
      if (QuireError.from(err).code !== ErrorCode.NotFound || Date.now() > until || !/^job_[0-9a-f]{32}$/.test(jobId)) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** A Quire error's HTTP status; `unsupported` calls answer 501. */
export const UNSUPPORTED = "UNSUPPORTED";
export const unsupported = (what: string): QuireError =>
  new QuireError(ErrorCode.InvalidArgument, `${what} is not supported by Quire's compatibility API`, { [UNSUPPORTED]: true });
export const isUnsupported = (e: QuireError): boolean => e.details?.[UNSUPPORTED] === true;
