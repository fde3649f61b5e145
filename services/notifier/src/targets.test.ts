import { describe, expect, it } from "vitest";
import { create } from "@bufbuild/protobuf";
import { EventType, JobEventSchema, WebhookEndpointSchema } from "@quire/contracts";
import { deliveryIdOf, messageIdOf, selectTargets, webhookTypeOf } from "./targets.js";

const event = (type: EventType, tenantId = "acme") => create(JobEventSchema, { eventId: "job_1:end", jobId: "job_1", tenantId, type });
const accepted = (webhook?: { url: string; secret?: string; events?: string[] }) =>
  create(JobEventSchema, {
    eventId: "job_1:accepted",
    jobId: "job_1",
    tenantId: "acme",
    type: EventType.ACCEPTED,
    ...(webhook ? { webhook } : {}),
  });
const endpoint = (endpointId: string, over: Record<string, unknown> = {}) =>
  create(WebhookEndpointSchema, { endpointId, tenantId: "acme", url: `https://hooks.example.com/${endpointId}`, ...over });

describe("selectTargets", () => {
  it("sends terminal events to the job's own URL and to every matching endpoint of its tenant", () => {
    const targets = selectTargets(
      "job.completed",
      event(EventType.COMPLETED),
      accepted({ url: "https://a.example/h", secretRef: "job_1" }),
      [
        endpoint("ep_a"),
        endpoint("ep_b", { events: ["job.failed"] }),
        endpoint("ep_c", { disabled: true }),
        endpoint("ep_d", { tenantId: "globex" }),
      ],
      "qs1:k1:sealed",
    );
    expect(targets.map((t) => t.endpointId || t.url)).toEqual(["https://a.example/h", "ep_a"]);
    expect(targets[0]).toMatchObject({ requestSecret: "qs1:k1:sealed", lane: "host:a.example" });
    expect(targets[1]).toMatchObject({ requestSecret: "", lane: "ep_a" });
  });

  it("sends progress only to targets that named job.progress", () => {
    const targets = selectTargets("job.progress", event(EventType.PROGRESS), accepted({ url: "https://a.example/h" }), [
      endpoint("ep_a"),
      endpoint("ep_p", { events: ["job.completed", "job.progress"] }),
    ]);
    expect(targets.map((t) => t.endpointId)).toEqual(["ep_p"]);
    const optedIn = selectTargets(
      "job.progress",
      event(EventType.PROGRESS),
      accepted({ url: "https://a.example/h", events: ["job.progress"] }),
      [],
    );
    expect(optedIn).toHaveLength(1);
  });

  it("never takes a webhook target from an accepted event of another tenant", () => {
    expect(selectTargets("job.completed", event(EventType.COMPLETED, "globex"), accepted({ url: "https://a.example/h" }), [])).toEqual([]);
  });
});

describe("ids", () => {
  it("maps job events to webhook types", () => {
    expect([EventType.COMPLETED, EventType.FAILED, EventType.CANCELED, EventType.PROGRESS, EventType.STARTED].map(webhookTypeOf)).toEqual([
      "job.completed",
      "job.failed",
      "job.canceled",
      "job.progress",
      undefined,
    ]);
  });

  it("derives a dot-free webhook-id from the event id, and a stable delivery id per target", () => {
    expect(messageIdOf(create(JobEventSchema, { eventId: "job_1:progress:parse:3" }))).toBe("msg_job_1_progress_parse_3");
    const t = { endpointId: "ep_a", url: "https://x", requestSecret: "", lane: "ep_a", style: "" };
    expect(deliveryIdOf("acme", t, "msg_1")).toBe(deliveryIdOf("acme", t, "msg_1"));
    expect(deliveryIdOf("acme", t, "msg_1")).toMatch(/^dlv_[0-9a-f]{32}$/);
    expect(deliveryIdOf("acme", t, "msg_1")).not.toBe(deliveryIdOf("acme", { ...t, endpointId: "ep_b" }, "msg_1"));
  });
});
