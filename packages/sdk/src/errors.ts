import type { JobStatus } from "./types.js";
import type * as api from "./gen/api.js";

/**
 * The API answered with an error. Fields come from the envelope
 * `{"error":{"code","message","details"}}`; a body that is not one (a proxy's HTML page, say)
 * gets the code `UNKNOWN` and the status line as its message.
 */
export class QuireApiError extends Error {
  override name = "QuireApiError";

  constructor(
    /** HTTP status, e.g. 404. */
    readonly status: number,
    /** The API's error code, e.g. `NOT_FOUND`, `FILE_TOO_LARGE`. */
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    /** The `x-request-id` response header, when the server or a proxy sent one. */
    readonly requestId: string | undefined = undefined,
  ) {
    super(message);
  }
}

/** A job ended `failed` (or `canceled`) while `run()` / `createAndPoll()` waited for its result. */
export class QuireJobFailedError extends Error {
  override name = "QuireJobFailedError";

  constructor(
    readonly jobId: string,
    /** The job's error code, e.g. `INVALID_PDF`, `JOB_TIMEOUT`, or `CANCELED`. */
    readonly code: string,
    message: string,
    /** How the job ended. */
    readonly status: Extract<JobStatus, "failed" | "canceled"> = "failed",
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The server could not be reached (connection refused, reset, DNS, per-attempt timeout), even after retries. */
export class QuireConnectionError extends Error {
  override name = "QuireConnectionError";

  constructor(
    message: string,
    /** True when the last attempt ran out of `timeoutMs` rather than failing to connect. */
    readonly timedOut: boolean,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** `jobs.wait()` gave up after its `timeoutMs`; the job itself keeps running. */
export class QuireTimeoutError extends Error {
  override name = "QuireTimeoutError";

  constructor(
    readonly jobId: string,
    readonly timeoutMs: number,
  ) {
    super(`job ${jobId} did not end within ${timeoutMs} ms; it is still running`);
  }
}

/** Works across duplicate copies of the SDK, where `instanceof` does not. */
export function isQuireApiError(v: unknown): v is QuireApiError {
  return v instanceof Error && v.name === "QuireApiError" && typeof (v as { status?: unknown }).status === "number";
}

/**
 * The job id when an API error reports how a job ended (the gateway puts `job_id` in `details`
 * when a sync extract's job failed). `RATE_LIMITED` also carries one, but that job never ran.
 */
export function failedJobIdOf(err: QuireApiError): string | undefined {
  const jobId = err.details["job_id"];
  return typeof jobId === "string" && err.code !== "RATE_LIMITED" ? jobId : undefined;
}

/** Builds the error for a non-2xx response from its body text. */
export function apiErrorFrom(status: number, statusText: string, bodyText: string, requestId?: string): QuireApiError {
  const envelope = parseEnvelope(bodyText);
  if (envelope) return new QuireApiError(status, envelope.code, envelope.message, envelope.details, requestId);
  const snippet = bodyText.trim().slice(0, 200);
  const message = `HTTP ${status}${statusText ? ` ${statusText}` : ""}${snippet ? `: ${snippet}` : ""}`;
  return new QuireApiError(status, "UNKNOWN", message, {}, requestId);
}

/** The `error` of every error response. */
type Envelope = api.Error["error"];

function parseEnvelope(text: string): Envelope | null {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return null;
  }
  const error = (body as { error?: unknown } | null)?.error;
  if (typeof error !== "object" || error === null) return null;
  const { code, message, details } = error as Record<string, unknown>;
  if (typeof code !== "string") return null;
  return {
    code,
    message: typeof message === "string" ? message : code,
    details: typeof details === "object" && details !== null ? (details as Record<string, unknown>) : {},
  };
}
