import { status as GrpcStatus } from "@grpc/grpc-js";

/**
 * The closed set of error codes. Each maps to one HTTP status and one gRPC status below;
 * messages say what to do, codes say what happened.
 */
export const ErrorCode = {
  InvalidArgument: "INVALID_ARGUMENT",
  Unauthenticated: "UNAUTHENTICATED",
  NotFound: "NOT_FOUND",
  Conflict: "CONFLICT",
  FileTooLarge: "FILE_TOO_LARGE",
  UnsupportedFileType: "UNSUPPORTED_FILE_TYPE",
  InvalidPdf: "INVALID_PDF",
  PdfPasswordRequired: "PDF_PASSWORD_REQUIRED",
  InvalidImage: "INVALID_IMAGE",
  LanguageNotInstalled: "LANGUAGE_NOT_INSTALLED",
  FetchFailed: "FETCH_FAILED",
  TargetNotAllowed: "TARGET_NOT_ALLOWED",
  Unprocessable: "UNPROCESSABLE",
  InvalidSchema: "INVALID_SCHEMA",
  LlmUnavailable: "LLM_UNAVAILABLE",
  LlmInvalidResponse: "LLM_INVALID_RESPONSE",
  DocumentTooComplex: "DOCUMENT_TOO_COMPLEX",
  JobTimeout: "JOB_TIMEOUT",
  RetriesExhausted: "RETRIES_EXHAUSTED",
  RateLimited: "RATE_LIMITED",
  Unavailable: "UNAVAILABLE",
  Internal: "INTERNAL",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const httpStatusOf = {
  INVALID_ARGUMENT: 400,
  UNAUTHENTICATED: 401,
  NOT_FOUND: 404,
  CONFLICT: 409,
  FILE_TOO_LARGE: 413,
  UNSUPPORTED_FILE_TYPE: 415,
  INVALID_PDF: 422,
  PDF_PASSWORD_REQUIRED: 422,
  INVALID_IMAGE: 422,
  LANGUAGE_NOT_INSTALLED: 422,
  FETCH_FAILED: 422,
  TARGET_NOT_ALLOWED: 400,
  UNPROCESSABLE: 422,
  INVALID_SCHEMA: 400,
  LLM_UNAVAILABLE: 502,
  LLM_INVALID_RESPONSE: 502,
  DOCUMENT_TOO_COMPLEX: 422,
  JOB_TIMEOUT: 504,
  RETRIES_EXHAUSTED: 500,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
} as const satisfies Record<ErrorCode, number>;

export const grpcStatusOf = {
  INVALID_ARGUMENT: GrpcStatus.INVALID_ARGUMENT,
  UNAUTHENTICATED: GrpcStatus.UNAUTHENTICATED,
  NOT_FOUND: GrpcStatus.NOT_FOUND,
  CONFLICT: GrpcStatus.FAILED_PRECONDITION,
  FILE_TOO_LARGE: GrpcStatus.RESOURCE_EXHAUSTED,
  UNSUPPORTED_FILE_TYPE: GrpcStatus.INVALID_ARGUMENT,
  INVALID_PDF: GrpcStatus.INVALID_ARGUMENT,
  PDF_PASSWORD_REQUIRED: GrpcStatus.FAILED_PRECONDITION,
  INVALID_IMAGE: GrpcStatus.INVALID_ARGUMENT,
  LANGUAGE_NOT_INSTALLED: GrpcStatus.INVALID_ARGUMENT,
  FETCH_FAILED: GrpcStatus.FAILED_PRECONDITION,
  TARGET_NOT_ALLOWED: GrpcStatus.PERMISSION_DENIED,
  UNPROCESSABLE: GrpcStatus.FAILED_PRECONDITION,
  INVALID_SCHEMA: GrpcStatus.INVALID_ARGUMENT,
  LLM_UNAVAILABLE: GrpcStatus.UNAVAILABLE,
  LLM_INVALID_RESPONSE: GrpcStatus.INTERNAL,
  DOCUMENT_TOO_COMPLEX: GrpcStatus.RESOURCE_EXHAUSTED,
  JOB_TIMEOUT: GrpcStatus.DEADLINE_EXCEEDED,
  RETRIES_EXHAUSTED: GrpcStatus.ABORTED,
  RATE_LIMITED: GrpcStatus.RESOURCE_EXHAUSTED,
  UNAVAILABLE: GrpcStatus.UNAVAILABLE,
  INTERNAL: GrpcStatus.INTERNAL,
} as const satisfies Record<ErrorCode, GrpcStatus>;

const RETRYABLE: ReadonlySet<ErrorCode> = new Set<ErrorCode>([ErrorCode.Unavailable, ErrorCode.RateLimited, ErrorCode.Internal]);

/** One error type for every layer; retryability is decided where it is created. */
export class QuireError extends Error {
  override name = "QuireError";
  readonly retryable: boolean;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
    options?: ErrorOptions & { retryable?: boolean },
  ) {
    super(message, options);
    this.retryable = options?.retryable ?? RETRYABLE.has(code);
  }

  /** Any thrown value → QuireError. The original is kept as `cause`, for logs only. */
  static from(reason: unknown, code: ErrorCode = ErrorCode.Internal): QuireError {
    if (isQuireError(reason)) return reason;
    if (code === ErrorCode.Internal && isBrokerUnavailable(reason))
      return new QuireError(ErrorCode.Unavailable, "the message broker is not reachable; retry shortly", {}, { cause: reason });
    const message = reason instanceof Error ? reason.message : String(reason);
    return new QuireError(code, message, {}, { cause: reason });
  }
}

/** nats.js errors (by name: `instanceof` fails across package copies) that mean the broker is down or not answering. */
const BROKER_DOWN = new Set([
  "TimeoutError",
  "NoResponders",
  "NoRespondersError",
  "ConnectionError",
  "ClosedConnectionError",
  "DrainingConnectionError",
  "RequestError",
]);

/** True when `err`, or an error it was caused by, says NATS is unreachable rather than that the request was wrong. */
export function isBrokerUnavailable(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; e instanceof Error && depth < 5; depth++, e = e.cause) if (BROKER_DOWN.has(e.name)) return true;
  return false;
}

/** Works across duplicate package copies, where `instanceof` does not. */
export function isQuireError(v: unknown): v is QuireError {
  return v instanceof Error && v.name === "QuireError" && typeof (v as { code?: unknown }).code === "string";
}

export function isErrorCode(v: string): v is ErrorCode {
  return Object.hasOwn(httpStatusOf, v);
}
