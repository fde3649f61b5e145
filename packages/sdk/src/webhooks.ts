import { Webhook, WebhookVerificationError } from "standardwebhooks";
import type { WebhookEvent, WebhookEventType } from "./types.js";

export { WebhookVerificationError };
export type { WebhookEvent, WebhookEventType };

/** Fetch `Headers`, or Node's `req.headers` (`IncomingHttpHeaders`). */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

/**
 * Verifies a webhook from Quire and returns its parsed body. Pass the **raw** body exactly as
 * received (re-serialized JSON will not verify), the request headers and the endpoint's
 * `whsec_…` secret. Verification is done by the `standardwebhooks` package: the `v1` HMAC
 * signature over `webhook-id.webhook-timestamp.body` (any entry of the space-separated
 * `webhook-signature` may match, which is how secret rotation works) and a timestamp within
 * 5 minutes of now. Use `webhook-id` to drop duplicates: retries and replays reuse it.
 *
 * @throws WebhookVerificationError when a header is missing, the signature does not match or
 *   the timestamp is too old or too new.
 */
export function verifyWebhook(body: string | Uint8Array, headers: WebhookHeaders, secret: string): WebhookEvent {
  const raw = typeof body === "string" ? body : Buffer.from(body).toString("utf8");
  return new Webhook(secret).verify(raw, plainHeaders(headers)) as WebhookEvent;
}

function plainHeaders(headers: WebhookHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof (headers as Headers).forEach === "function" && typeof (headers as Headers).get === "function") {
    (headers as Headers).forEach((value, key) => (out[key.toLowerCase()] = value));
    return out;
  }
  for (const [key, value] of Object.entries(headers as Record<string, string | string[] | undefined>)) {
    if (value !== undefined) out[key.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}
