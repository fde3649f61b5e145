import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { create } from "@bufbuild/protobuf";
import { WebhookSecretSchema } from "@quire/contracts";
import { liveSecrets, signatureHeader, webhookHeaders } from "./signer.js";

// The Standard Webhooks known-answer vector (libraries/javascript/src/webhook.test.ts).
const KAT = {
  secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
};

describe("signatureHeader", () => {
  it("produces the spec's known-answer signature", () => {
    expect(signatureHeader(KAT.id, new Date(KAT.timestamp * 1000), KAT.body, [KAT.secret])).toBe(KAT.signature);
  });

  it("matches an HMAC-SHA256 of id.timestamp.body computed by hand with the base64-decoded key", () => {
    const key = Buffer.from(KAT.secret.slice("whsec_".length), "base64");
    const mac = createHmac("sha256", key).update(`${KAT.id}.${KAT.timestamp}.${KAT.body}`).digest("base64");
    expect(KAT.signature).toBe(`v1,${mac}`);
  });

  it("sends one v1 entry per live secret, each verifiable on its own", () => {
    const other = "whsec_" + Buffer.alloc(32, 7).toString("base64");
    const now = new Date();
    const headers = webhookHeaders("msg_rot", '{"a":1}', [KAT.secret, other], 1, now);
    expect(headers["webhook-signature"]?.split(" ")).toHaveLength(2);
    for (const secret of [KAT.secret, other]) expect(() => new Webhook(secret).verify('{"a":1}', headers)).not.toThrow();
  });
});

describe("webhookHeaders", () => {
  it("carries the message id, this attempt's unix seconds and no signature without a secret", () => {
    const headers = webhookHeaders("msg_x", "{}", [], 3, new Date(1_700_000_000_500));
    expect(headers).toMatchObject({ "webhook-id": "msg_x", "webhook-timestamp": "1700000000", "quire-webhook-attempt": "3" });
    expect(headers["webhook-signature"]).toBeUndefined();
  });
});

describe("liveSecrets", () => {
  it("keeps the current secret and rotated-out ones until their overlap ends, newest first", () => {
    const s = (secret: string, createdUnixMs: number, expiresUnixMs: number) =>
      create(WebhookSecretSchema, { secret, createdUnixMs, expiresUnixMs });
    const secrets = [s("old", 1, 2_000), s("older", 0, 500), s("new", 3, 0)];
    expect(liveSecrets(secrets, 1_000)).toEqual(["new", "old"]);
    expect(liveSecrets(secrets, 2_000)).toEqual(["new"]);
  });
});
