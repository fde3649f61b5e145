import { Metadata, type sendUnaryData, type ServerUnaryCall, type ServiceError } from "@grpc/grpc-js";
import { ErrorCode, QuireError, grpcStatusOf, isErrorCode } from "../errors.js";
import type { Logger } from "../logger.js";

/** Milliseconds a client is asked to wait before retrying UNAVAILABLE or RESOURCE_EXHAUSTED. */
export const GRPC_RETRY_AFTER_MS = 2_000;

/**
 * Any error → the gRPC status of the one error table, with the Quire code in the
 * `quire-error-code` trailer (INVALID_PDF, RATE_LIMITED, …) and, when a retry is worth it,
 * `retry-after-ms`. An internal error says only "internal error".
 */
export function toGrpcError(err: unknown): Partial<ServiceError> & { code: number; details: string } {
  const e = QuireError.from(err);
  const metadata = new Metadata();
  metadata.set("quire-error-code", e.code);
  if (e.code === ErrorCode.Unavailable || e.code === ErrorCode.RateLimited) metadata.set("retry-after-ms", String(GRPC_RETRY_AFTER_MS));
  return { code: grpcStatusOf[e.code], details: e.code === ErrorCode.Internal ? "internal error" : e.message, metadata };
}

/** A failed call's status, logged first when the failure is ours (internal, or a dependency down). */
export function failedCall(log: Logger, method: string, err: unknown): ReturnType<typeof toGrpcError> {
  const e = QuireError.from(err);
  if (e.code === ErrorCode.Internal || e.code === ErrorCode.Unavailable) log.error({ err: e.cause ?? e, method }, "call failed");
  return toGrpcError(e);
}

export type UnaryHandler<Req, Res> = (call: ServerUnaryCall<Req, Res>, cb: sendUnaryData<Res>) => void;

/** Adapts an async function to a grpc-js unary handler; its errors become gRPC statuses (logged when they are ours). */
export function unaryHandler<Req, Res>(
  log: Logger,
  method: string,
  fn: (req: Req, call: ServerUnaryCall<Req, Res>) => Promise<Res>,
): UnaryHandler<Req, Res> {
  return (call, cb) => {
    fn(call.request, call).then(
      (res) => cb(null, res),
      (err: unknown) => cb(failedCall(log, method, err)),
    );
  };
}

/**
 * The QuireError a failed call to one of our own services carries: its code from the
 * `quire-error-code` trailer and its message, so a NOT_FOUND or CONFLICT there is one here. A
 * call that never got an answer (down, deadline) is UNAVAILABLE naming `what`.
 */
export function fromGrpcError(err: unknown, what: string): QuireError {
  const e = err as Partial<ServiceError>;
  const code = e.metadata?.get("quire-error-code")[0];
  if (typeof code === "string" && isErrorCode(code) && code !== ErrorCode.Unavailable)
    return code === ErrorCode.Internal
      ? new QuireError(code, `${what} failed`, {}, { cause: err })
      : new QuireError(code, e.details || String(e.message));
  return new QuireError(ErrorCode.Unavailable, `${what} is not reachable; retry shortly`, {}, { cause: err });
}
