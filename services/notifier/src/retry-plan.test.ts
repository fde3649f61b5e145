import { describe, expect, it } from "vitest";
import { create } from "@bufbuild/protobuf";
import { WebhookEndpointSchema } from "@quire/contracts";
import { decide, nextEndpointHealth, parseRetryAfter, type Outcome } from "./retry-plan.js";

const SVIX = [0, 5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000];
const fail = (over: Partial<Outcome> = {}): Outcome => ({ statusCode: 500, latencyMs: 3, error: "HTTP 500", ...over });
const ok: Outcome = { statusCode: 204, latencyMs: 3, error: "" };
const plan = (outcome: Outcome, attempt: number, over: { manual?: boolean; random?: () => number } = {}) =>
  decide({ outcome, attempt, manual: over.manual ?? false, scheduleMs: SVIX, nowMs: 1_000, random: over.random ?? (() => 0) });

describe("decide", () => {
  it("is done after any 2xx", () => expect(plan(ok, 1)).toEqual({ kind: "succeeded" }));

  it("waits the schedule's next gap after a failure: 5 s after attempt 1, 5 min after attempt 2", () => {
    expect(plan(fail(), 1)).toEqual({ kind: "retry", atMs: 6_000 });
    expect(plan(fail(), 2)).toEqual({ kind: "retry", atMs: 301_000 });
  });

  it("adds at most 10 % jitter, never less than the schedule", () => {
    expect(plan(fail(), 2, { random: () => 0.999 })).toEqual({ kind: "retry", atMs: 1_000 + 300_000 + 29_970 });
  });

  it("gives up after the last scheduled attempt", () => {
    expect(plan(fail(), SVIX.length)).toEqual({ kind: "failed", reason: `gave up after ${SVIX.length} attempts` });
  });

  it("stops at once on 410, an SSRF refusal or a gone endpoint", () => {
    for (const final of ["gone", "refused", "endpoint"] as const) expect(plan(fail({ final }), 1).kind).toBe("failed");
  });

  it("does not retry a manual replay automatically", () => expect(plan(fail(), 1, { manual: true }).kind).toBe("failed"));

  it("honours a Retry-After longer than the schedule's gap, up to an hour", () => {
    expect(plan(fail({ retryAfterMs: 60_000 }), 1)).toEqual({ kind: "retry", atMs: 61_000 });
    expect(plan(fail({ retryAfterMs: 86_400_000 }), 1)).toEqual({ kind: "retry", atMs: 3_601_000 });
  });

  it("retries an interrupted attempt like a failed one (it is never resent under the same number)", () => {
    expect(plan(fail({ statusCode: 0, interrupted: true }), 1)).toEqual({ kind: "retry", atMs: 6_000 });
  });
});

describe("nextEndpointHealth", () => {
  const ep = (over = {}) => create(WebhookEndpointSchema, { endpointId: "ep_1", tenantId: "acme", ...over });
  const DAY = 86_400_000;

  it("starts the failing clock at the first failure and clears it on success", () => {
    const failing = nextEndpointHealth(ep(), fail(), 5_000, 5 * DAY);
    expect(failing?.failingSinceUnixMs).toBe(5_000);
    expect(nextEndpointHealth(failing!, ok, 6_000, 5 * DAY)?.failingSinceUnixMs).toBe(0);
    expect(nextEndpointHealth(ep(), ok, 6_000, 5 * DAY)).toBeNull();
  });

  it("disables an endpoint still failing after the disable period, saying since when", () => {
    const e = ep({ failingSinceUnixMs: 1_000 });
    expect(nextEndpointHealth(e, fail(), 1_000 + 4 * DAY, 5 * DAY)).toBeNull();
    const off = nextEndpointHealth(e, fail(), 1_000 + 5 * DAY, 5 * DAY);
    expect(off).toMatchObject({ disabled: true, disabledUnixMs: 1_000 + 5 * DAY });
    expect(off?.disabledReason).toContain(new Date(1_000).toISOString());
  });

  it("disables at once on 410 Gone", () => {
    expect(nextEndpointHealth(ep(), fail({ statusCode: 410, final: "gone" }), 9, DAY)).toMatchObject({ disabled: true });
  });

  it("ignores interrupted attempts, which say nothing about the receiver", () => {
    expect(nextEndpointHealth(ep(), fail({ statusCode: 0, interrupted: true }), 9, DAY)).toBeNull();
  });
});

describe("parseRetryAfter", () => {
  it("reads seconds and HTTP dates", () => {
    expect(parseRetryAfter("120", 0)).toBe(120_000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(parseRetryAfter("soon", 0)).toBeUndefined();
    expect(parseRetryAfter(undefined, 0)).toBeUndefined();
  });
});
