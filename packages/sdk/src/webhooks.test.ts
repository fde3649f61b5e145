import { createHmac, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { verifyWebhook, WebhookVerificationError } from "./index.js";

const secret = `whsec_${randomBytes(32).toString("base64")}`;
const body = JSON.stringify({
  type: "job.completed",
  timestamp: "2026-01-01T00:00:00.000Z",
  data: { job_id: "job_1", status: "completed" },
});

/** Signs by hand (node:crypto), independently of the package verifyWebhook wraps. */
function sign(key: string, id: string, ts: number, payload: string): string {
  const mac = createHmac("sha256", Buffer.from(key.slice("whsec_".length), "base64"))
    .update(`${id}.${ts}.${payload}`)
    .digest("base64");
  return `v1,${mac}`;
}

const now = () => Math.floor(Date.now() / 1000);
const headersFor = (sig: string, ts = now()) => ({ "webhook-id": "msg_1", "webhook-timestamp": String(ts), "webhook-signature": sig });

describe("verifyWebhook", () => {
  it("returns the parsed event for a valid signature", () => {
    const event = verifyWebhook(body, headersFor(sign(secret, "msg_1", now(), body)), secret);
    expect(event).toMatchObject({ type: "job.completed", data: { job_id: "job_1" } });
  });

  it("accepts fetch Headers, Node's mixed-case header records and byte bodies", () => {
    const h = headersFor(sign(secret, "msg_1", now(), body));
    expect(verifyWebhook(new TextEncoder().encode(body), new Headers(h), secret).type).toBe("job.completed");
    const node = {
      "Webhook-Id": h["webhook-id"],
      "Webhook-Timestamp": h["webhook-timestamp"],
      "Webhook-Signature": h["webhook-signature"],
    };
    expect(verifyWebhook(Buffer.from(body), node, secret).type).toBe("job.completed");
  });

  it("accepts a rotation header where only one of the signatures matches", () => {
    const other = `whsec_${randomBytes(32).toString("base64")}`;
    const both = `${sign(other, "msg_1", now(), body)} ${sign(secret, "msg_1", now(), body)}`;
    expect(verifyWebhook(body, headersFor(both), secret).type).toBe("job.completed");
  });

  it("rejects a tampered body, a wrong secret, a stale timestamp and missing headers", () => {
    const ts = now();
    const good = sign(secret, "msg_1", ts, body);
    expect(() => verifyWebhook(body.replace("job_1", "job_2"), headersFor(good, ts), secret)).toThrow(WebhookVerificationError);
    expect(() => verifyWebhook(body, headersFor(good, ts), `whsec_${randomBytes(32).toString("base64")}`)).toThrow(/No matching signature/);
    const old = ts - 600;
    expect(() => verifyWebhook(body, headersFor(sign(secret, "msg_1", old, body), old), secret)).toThrow(/too old/);
    expect(() => verifyWebhook(body, { "webhook-id": "msg_1" }, secret)).toThrow(/Missing required headers/);
  });
});
