import { EventType, JobKind, JobStatus, isTerminalStatus, rest, type JobRecord } from "@quire/contracts";
import {
  ErrorCode,
  MIN_DUPLICATE_WINDOW_MS,
  QuireError,
  assertLanguagesInstalled,
  extractionRef,
  isErrorCode,
  isExtractionId,
  storeFile,
  type Logger,
  type Pipeline,
} from "@quire/runtime";
import { checkInputSchema } from "@quire/json-schema";
import type { z } from "zod";
import type { Admission } from "./admission.js";
import type { GatewayConfig } from "./config.js";
import { requestHash, type Idempotency } from "./idempotency.js";
import { fetchAndStore, lookupFile } from "./inputs.js";
import type { JobsClient } from "./jobs-client.js";
import { extractPlan, schemaPlan, splitPlan } from "./plans.js";
import { validate } from "./request-body.js";
import type { WebhooksClient } from "./webhooks-client.js";
import { checkWebhookTarget, newJobId, submitJob, type JobInput, type PlanStepInit } from "./submit.js";

/**
 * What the gateway does, whatever the transport: REST (app.ts) and gRPC (grpc-api.ts) are thin
 * adapters over these functions, so validation, admission, idempotency, tenancy and errors
 * exist once.
 */

export type OperationName = "extract" | "split" | "schema";

interface OperationSpec {
  kind: JobKind;
  schema: z.ZodType<rest.ProcessingRequest>;
  /** The job's plan; may refuse the request (e.g. an invalid JSON Schema) before anything is stored. */
  plan(req: rest.ProcessingRequest): PlanStepInit[];
}

const OPERATIONS: Record<OperationName, OperationSpec> = {
  extract: { kind: JobKind.EXTRACT, schema: rest.ExtractRequest, plan: (r) => extractPlan(r as rest.ExtractRequest) },
  split: { kind: JobKind.SPLIT, schema: rest.SplitRequest, plan: (r) => splitPlan(r as rest.SplitRequest) },
  schema: {
    kind: JobKind.SCHEMA,
    schema: rest.SchemaRequest,
    plan: (r) => {
      const req = r as rest.SchemaRequest;
      checkInputSchema(req.schema_config.input_schema); // INVALID_SCHEMA with the pointer, before anything is stored
      return schemaPlan(req);
    },
  },
};

export interface ProcessCall {
  tenant: string;
  operation: OperationName;
  /** The request's fields as the REST body names them (JSON, or multipart converted). */
  fields: Record<string, unknown>;
  file: File | null;
  idempotencyKey?: string | undefined;
  /** Aborted when the caller goes away: a sync wait stops (the job runs on). */
  signal?: AbortSignal | undefined;
  /** Told the job id as soon as it is chosen (for the caller's log line). */
  onJobId?: (jobId: string) => void;
  /** A key that only dedupes retries: claims older than this are taken over (vendor routes, compat/). */
  idempotencyWindowMs?: number | undefined;
  /** WebhookTarget.style of the job's webhook_url (vendor routes): "" is Quire's own. */
  webhookStyle?: string | undefined;
}

/** How a processing call was answered. */
export interface ProcessOutcome {
  jobId: string;
  status: JobStatus;
  /** True when the call waited and the job ended in time (completed or canceled); false: answered with the job id. */
  ended: boolean;
  /** The result, when it ended completed. */
  result?: Record<string, unknown>;
}

export interface OperationsDeps {
  config: GatewayConfig;
  logger: Logger;
  pipeline: Pipeline;
  jobs: JobsClient;
  idempotency: Idempotency;
  /** Throws RATE_LIMITED while the work queue is full. */
  admit: Admission;
  /** Aborted at shutdown: sync calls still waiting answer with their job id. */
  signal: AbortSignal;
  /** The notifier's WebhooksService (job webhook secrets). */
  webhooks: WebhooksClient;
}

export interface ListJobsQuery {
  limit: number;
  cursor?: string | undefined;
  status?: JobStatus | undefined;
  kind?: JobKind | undefined;
}

export interface Operations {
  process(call: ProcessCall): Promise<ProcessOutcome>;
  /** The tenant's job, or NOT_FOUND (also for another tenant's). */
  getJob(tenant: string, jobId: string, minSeq?: number): Promise<JobRecord>;
  /** The job's result once it completed, else undefined. */
  resultOf(job: JobRecord): Promise<Record<string, unknown> | undefined>;
  listJobs(tenant: string, q: ListJobsQuery): Promise<{ jobs: JobRecord[]; nextCursor: string }>;
  /** Cancels a job that has not ended; CONFLICT when it has. */
  cancelJob(tenant: string, jobId: string): Promise<JobRecord>;
  getExtraction(tenant: string, extractionId: string): Promise<unknown>;
  /** Stores an upload (POST /v1/files, or a request's file). */
  storeUpload(tenant: string, file: File): ReturnType<typeof storeFile>;
}

/** An Idempotency-Key whose job was never recorded is submitted again only this soon after its claim. */
const RESUBMIT_WITHIN_MS = MIN_DUPLICATE_WINDOW_MS / 2;

export function createOperations(deps: OperationsDeps): Operations {
  const { config, logger, pipeline, jobs } = deps;

  /**
   * Every processing operation: validate (before anything is stored or a job exists), resolve
   * the input, admit, claim the idempotency key, submit the job's plan, and wait for the end
   * when the call is sync.
   */
  async function process(call: ProcessCall): Promise<ProcessOutcome> {
    const spec = OPERATIONS[call.operation];
    const req = validate(spec.schema, call.fields);
    assertLanguagesInstalled(req.languages); // before the upload is stored or a job exists
    checkWebhookTarget(req, config);
    const plan = spec.plan(req);
    const input = await resolveInput(call.tenant, req, call.file, spec.kind !== JobKind.EXTRACT);
    let jobId = newJobId();
    // Before the key is claimed, so a refused request leaves no claim without a job behind it.
    await deps.admit();
    if (call.idempotencyKey) {
      const claim = await deps.idempotency.claim(
        call.tenant,
        call.idempotencyKey,
        requestHash(`/v1/${call.operation}\n${inputKey(input)}`, req),
        jobId,
        call.idempotencyWindowMs,
      );
      if (!claim.fresh) {
        call.onJobId?.(claim.jobId);
        const job = await jobs.get(call.tenant, claim.jobId);
        // No such job: the first attempt claimed the key and then failed before recording it
        // (the broker went away), or it is still on its way. Submitting again under the same id
        // is safe while JetStream still drops the repeated publishes; after that, answer as is.
        if (job || Date.now() - claim.claimedAt > RESUBMIT_WITHIN_MS) return replay(claim.jobId, req.async, job);
        logger.info(
          { jobId: claim.jobId, tenant: call.tenant },
          "idempotent retry of a job not recorded yet; submitting it under the same id",
        );
      }
      jobId = claim.jobId;
    }
    call.onJobId?.(jobId);
    const signal = call.signal ? AbortSignal.any([deps.signal, call.signal]) : deps.signal;
    const submitted = await submitJob(
      { pipeline, config, logger, signal, webhooks: deps.webhooks },
      call.tenant,
      { kind: spec.kind, input, plan, options: req, webhookStyle: call.webhookStyle },
      req.async ? 0 : config.syncTimeoutMs,
      jobId,
    );
    if (req.async || !submitted.end) return { jobId: submitted.jobId, status: JobStatus.PENDING, ended: false };
    return ended(submitted.jobId, statusOfEnd(submitted.end.type), submitted.end);
  }

  /** A repeated idempotency key: answer with the first request's job, never a second job. */
  async function replay(jobId: string, isAsync: boolean, job: JobRecord | null): Promise<ProcessOutcome> {
    if (!job || isAsync || !isTerminalStatus(job.status)) return { jobId, status: job?.status ?? JobStatus.PENDING, ended: false };
    return ended(jobId, job.status, job);
  }

  /** An ended job's answer: its result, canceled, or its error (thrown, with the job's code). */
  async function ended(
    jobId: string,
    status: JobStatus,
    end: { error?: { code: string; message: string } | undefined; resultRef: string },
  ): Promise<ProcessOutcome> {
    if (status === JobStatus.FAILED) {
      const code = end.error?.code ?? "";
      throw new QuireError(isErrorCode(code) ? code : ErrorCode.Internal, end.error?.message ?? "the job failed", { job_id: jobId });
    }
    if (status === JobStatus.CANCELED) return { jobId, status, ended: true };
    return { jobId, status, ended: true, result: await loadResult(end.resultRef) };
  }

  async function storeUpload(tenant: string, file: File) {
    if (file.size > config.maxFileBytes) throw tooLarge(config.maxFileBytes);
    return storeFile(pipeline.blobs, tenant, new Uint8Array(await file.arrayBuffer()), file.name || null);
  }

  /**
   * Exactly one input: an upload, a file_id, a file_url (fetched here for a sync call; by the
   * job for an async one, so the request is answered at once), or an extraction_id.
   */
  async function resolveInput(
    tenant: string,
    req: rest.ProcessingRequest,
    file: File | null,
    readsExtractions: boolean,
  ): Promise<JobInput> {
    const extractionId = "extraction_id" in req ? req.extraction_id : undefined;
    const given = [file, req.file_url, req.file_id, extractionId].filter((v) => v !== null && v !== undefined).length;
    const names = `file, file_url, file_id${readsExtractions ? ", extraction_id" : ""}`;
    if (given !== 1) throw new QuireError(ErrorCode.InvalidArgument, `send exactly one of: ${names}`);
    if (extractionId) {
      const ref = extractionRef(tenant, extractionId);
      if (!(await pipeline.blobs.has(pipeline.blobs.results, ref)) && !(await pipeline.blobs.has(pipeline.blobs.persisted, ref)))
        throw extractionNotFound(extractionId);
      return { extractionRef: ref };
    }
    if (req.file_url && req.async) return { fileUrl: req.file_url };
    const stored = file
      ? await storeUpload(tenant, file)
      : req.file_url
        ? await fetchAndStore(pipeline.blobs, config, tenant, req.file_url)
        : await lookupFile(pipeline.blobs, tenant, req.file_id as string);
    return { fileRef: stored.ref, mediaType: stored.mediaType };
  }

  async function getJob(tenant: string, jobId: string, minSeq?: number): Promise<JobRecord> {
    const job = /^job_[0-9a-f]{32}$/.test(jobId) ? await jobs.get(tenant, jobId, minSeq) : null;
    if (!job) throw new QuireError(ErrorCode.NotFound, `job ${jobId.slice(0, 80)} not found`);
    return job;
  }

  /** A stored JSON artifact (a result, an extraction), or null when it is gone. */
  async function readJson(ref: string): Promise<Record<string, unknown> | null> {
    const bytes = await pipeline.blobs.getArtifact(ref);
    return bytes ? (JSON.parse(Buffer.from(bytes).toString("utf8")) as Record<string, unknown>) : null;
  }

  /** A job's result (an extraction, a split, …) as the stage stored it. */
  async function loadResult(ref: string): Promise<Record<string, unknown>> {
    const result = await readJson(ref);
    if (!result)
      throw new QuireError(
        ErrorCode.NotFound,
        "the result has expired (results are kept for the retention period; persist: true keeps an extraction)",
      );
    return result;
  }

  return {
    process,
    getJob,
    resultOf: async (job) => (job.status === JobStatus.COMPLETED && job.resultRef ? loadResult(job.resultRef) : undefined),
    async listJobs(tenant, q) {
      const res = await jobs.list({
        tenantId: tenant,
        limit: q.limit,
        cursor: q.cursor ?? "",
        status: q.status ?? JobStatus.UNSPECIFIED,
        ...(q.kind !== undefined ? { kind: q.kind } : {}),
      });
      return { jobs: res.jobs, nextCursor: res.nextCursor };
    },
    async cancelJob(tenant, jobId) {
      const job = await getJob(tenant, jobId);
      if (isTerminalStatus(job.status)) throw alreadyEnded(job.jobId, job.status);
      const base = { jobId: job.jobId, tenantId: tenant, kind: job.kind };
      await pipeline.events.publish({ ...base, eventId: `${job.jobId}:cancel_requested`, type: EventType.CANCEL_REQUESTED });
      const claim = await pipeline.events.end({
        ...base,
        type: EventType.CANCELED,
        error: { code: "CANCELED", message: "canceled by request" },
      });
      if (!claim.won) throw alreadyEnded(job.jobId, statusOfEnd(claim.event.type));
      return {
        ...job,
        status: JobStatus.CANCELED,
        cancelRequested: true,
        error: claim.event.error,
        completedAtUnixMs: claim.event.timeUnixMs,
      };
    },
    async getExtraction(tenant, id) {
      const extraction = isExtractionId(id) ? await readJson(extractionRef(tenant, id)) : null;
      if (!extraction) throw extractionNotFound(id);
      return extraction;
    },
    storeUpload,
  };
}

/** What identifies a job's input in its idempotency hash. */
function inputKey(input: JobInput): string {
  return "fileRef" in input ? input.fileRef : "fileUrl" in input ? `url:${input.fileUrl}` : `extraction:${input.extractionRef}`;
}

function extractionNotFound(id: string): QuireError {
  return new QuireError(
    ErrorCode.NotFound,
    `extraction ${id.slice(0, 80)} not found (extractions are kept for the retention period unless extracted with persist: true)`,
  );
}

export function tooLarge(maxBytes: number): QuireError {
  return new QuireError(ErrorCode.FileTooLarge, `the file is larger than the ${maxBytes}-byte limit (QUIRE_MAX_FILE_BYTES)`, {
    max_bytes: maxBytes,
  });
}

function alreadyEnded(jobId: string, s: JobStatus): QuireError {
  const status = JobStatus[s].toLowerCase();
  return new QuireError(ErrorCode.Conflict, `job ${jobId} has already ended (${status}); nothing to cancel`, { status });
}

export function statusOfEnd(t: EventType): JobStatus {
  return t === EventType.COMPLETED ? JobStatus.COMPLETED : t === EventType.FAILED ? JobStatus.FAILED : JobStatus.CANCELED;
}
