import { Webhook } from "standardwebhooks";
import { extendSignatureHeaders, type WebhookSecret } from "@quire/contracts";

/**
 * The `webhook-signature` value for one body: one `v1,<base64 HMAC-SHA256>` per secret,
 * space-separated, as the Standard Webhooks spec has it during a key rotation (receivers accept
 * the message if any entry verifies). Signing is done by the `standardwebhooks` package itself,
 * so sender and the reference verifier cannot disagree on the signed content
 * ("<id>.<timestamp>.<body>") or on how a `whsec_` secret is decoded.
 */
export function signatureHeader(messageId: string, timestamp: Date, body: string, secrets: readonly string[]): string {
  return secrets.map((s) => new Webhook(s).sign(messageId, timestamp, body)).join(" ");
}

/**
 * Everything a delivery attempt sends besides the body. `webhook-timestamp` is this attempt's
 * time (it changes on every retry, so a receiver's 5-minute tolerance holds); `webhook-id` does
 * not. Without a secret the request goes out unsigned and says so by omitting the signature.
 */
export function webhookHeaders(
  messageId: string,
  body: string,
  secrets: readonly string[],
  attempt: number,
  now = new Date(),
): Record<string, string> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": "Quire-Webhooks/1.0",
    "webhook-id": messageId,
    "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
    // Not part of the spec: lets a receiver (and the tests) tell attempts apart.
    "quire-webhook-attempt": String(attempt),
  };
  if (secrets.length > 0) headers["webhook-signature"] = signatureHeader(messageId, now, body, secrets);
  return headers;
}

/**
 * The headers of one attempt in a target's style: Extend's (`x-extend-request-timestamp`,
 * `x-extend-request-signature`, as its SDK's `webhooks.verifyAndParse` checks, signed with the
 * first secret as its UTF-8 text), or Quire's own Standard Webhooks headers (also for Reducto's
 * direct mode, whose receivers check no signature).
 */
export function styledHeaders(
  style: string,
  messageId: string,
  body: string,
  secrets: readonly string[],
  attempt: number,
  now = new Date(),
): Record<string, string> {
  const headers = webhookHeaders(messageId, body, secrets, attempt, now);
  if (style !== "extend") return headers;
  const { "webhook-signature": _, ...rest } = headers;
  return secrets[0] ? { ...rest, ...extendSignatureHeaders(secrets[0], body, now) } : rest;
}

/** The endpoint's secrets that sign now: the current one first, then rotated-out ones still in overlap. */
export function liveSecrets(secrets: readonly WebhookSecret[], nowMs: number): string[] {
  return secrets
    .filter((s) => s.expiresUnixMs === 0 || s.expiresUnixMs > nowMs)
    .sort((a, b) => b.createdUnixMs - a.createdUnixMs)
    .map((s) => s.secret);
}
