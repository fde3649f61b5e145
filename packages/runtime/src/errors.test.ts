import { errors } from "@nats-io/nats-core";
import { describe, expect, it } from "vitest";
import { ErrorCode, httpStatusOf, isBrokerUnavailable, QuireError } from "./errors.js";

describe("QuireError.from", () => {
  it("turns nats.js's own 'broker not answering' errors into a retryable UNAVAILABLE (503), even when wrapped", () => {
    for (const err of [new errors.TimeoutError(), new errors.NoRespondersError("quire.work.parse"), new errors.ClosedConnectionError()]) {
      const e = QuireError.from(new Error("storing the upload failed", { cause: err }));
      expect(e.code).toBe(ErrorCode.Unavailable);
      expect(e.retryable).toBe(true);
      expect(httpStatusOf[e.code]).toBe(503);
      expect(e.message).toMatch(/broker is not reachable/);
    }
  });

  it("keeps anything else INTERNAL, and an explicitly chosen code as it is", () => {
    expect(isBrokerUnavailable(new TypeError("x is undefined"))).toBe(false);
    expect(QuireError.from(new TypeError("x is undefined")).code).toBe(ErrorCode.Internal);
    expect(QuireError.from(new errors.TimeoutError(), ErrorCode.FetchFailed).code).toBe(ErrorCode.FetchFailed);
    const own = new QuireError(ErrorCode.InvalidPdf, "bad xref");
    expect(QuireError.from(own)).toBe(own);
  });
});
