import { Hono } from "hono";
import { WebhookDeliveryStatus, rest, type WebhookDeliveryView, type WebhookEndpointView } from "@quire/contracts";
import { checkTargetUrl, type TargetPolicy } from "@quire/runtime";
import { readBody, validate } from "./request-body.js";
import type { WebhooksClient } from "./webhooks-client.js";

export interface WebhookRoutesDeps {
  /** The notifier, which owns endpoints, secrets, the delivery log and replays. */
  webhooks: WebhooksClient;
  /** The same policy as file_url (QUIRE_ALLOW_PRIVATE_TARGETS). */
  targets: TargetPolicy;
}

type Env = { Variables: { tenant: string } };

/**
 * /v1/webhooks: the REST face of the notifier's WebhooksService. Requests are validated here
 * (fields, the target URL); the notifier does the rest, scoped to the caller's tenant, so
 * another tenant's endpoint or delivery is not found (404).
 */
export function createWebhookRoutes(deps: WebhookRoutesDeps): Hono<Env> {
  const app = new Hono<Env>();
  const { webhooks } = deps;

  app.post("/", async (c) => {
    const req = validate(rest.WebhookCreate, (await readBody(c)).fields);
    checkTargetUrl(req.url, deps.targets);
    const res = await webhooks.createWebhookEndpoint({
      tenantId: c.get("tenant"),
      url: req.url,
      events: req.events,
      description: req.description,
    });
    return c.json({ ...endpointView(res.endpoint), secret: res.secret }, 201);
  });

  app.get("/", async (c) => {
    const res = await webhooks.listWebhookEndpoints({ tenantId: c.get("tenant") });
    return c.json({ webhooks: res.endpoints.map(endpointView) });
  });

  // The tenant's signing secret: what signs job webhooks that name no webhook_secret.
  app.get("/signing-secret", async (c) => {
    const { secret } = await webhooks.getSigningSecret({ tenantId: c.get("tenant") });
    return c.json({ secret, signs: "job webhooks whose request named no webhook_secret" });
  });

  app.get("/deliveries", async (c) => {
    const q = validate(rest.DeliveriesQuery, c.req.query());
    const res = await webhooks.listWebhookDeliveries({
      tenantId: c.get("tenant"),
      endpointId: q.endpoint_id ?? "",
      jobId: q.job_id ?? "",
      limit: q.limit,
    });
    return c.json({ deliveries: res.deliveries.map(deliveryView) });
  });

  app.post("/deliveries/:id/retry", async (c) => {
    const res = await webhooks.retryWebhookDelivery({ tenantId: c.get("tenant"), deliveryId: c.req.param("id") });
    return c.json({ delivery_id: res.deliveryId, status: "pending", next_attempt_at: iso(res.nextAttemptUnixMs) }, 202);
  });

  app.get("/:id", async (c) => {
    const ep = await webhooks.getWebhookEndpoint({ tenantId: c.get("tenant"), endpointId: c.req.param("id") });
    return c.json(endpointView(ep));
  });

  app.delete("/:id", async (c) => {
    const res = await webhooks.deleteWebhookEndpoint({ tenantId: c.get("tenant"), endpointId: c.req.param("id") });
    return c.json({ endpoint_id: res.endpointId, deleted: true });
  });

  app.post("/:id/rotate", async (c) => {
    const res = await webhooks.rotateWebhookSecret({ tenantId: c.get("tenant"), endpointId: c.req.param("id") });
    return c.json({ endpoint_id: res.endpointId, secret: res.secret, previous_secret_expires_at: iso(res.previousSecretExpiresUnixMs) });
  });

  return app;
}

const iso = (ms: number): string | null => (ms ? new Date(ms).toISOString() : null);

function endpointView(ep: WebhookEndpointView | undefined) {
  if (!ep) throw new Error("the notifier answered without an endpoint");
  return {
    endpoint_id: ep.endpointId,
    url: ep.url,
    events: ep.events,
    description: ep.description,
    created_at: iso(ep.createdUnixMs),
    disabled: ep.disabled,
    disabled_reason: ep.disabledReason || null,
    disabled_at: iso(ep.disabledUnixMs),
    failing_since: iso(ep.failingSinceUnixMs),
    previous_secret_expires_at: iso(ep.previousSecretExpiresUnixMs),
  };
}

const STATUS_NAMES: Record<WebhookDeliveryStatus, string> = {
  [WebhookDeliveryStatus.UNSPECIFIED]: "pending",
  [WebhookDeliveryStatus.PENDING]: "pending",
  [WebhookDeliveryStatus.SUCCEEDED]: "succeeded",
  [WebhookDeliveryStatus.FAILED]: "failed",
};

function deliveryView(d: WebhookDeliveryView) {
  return {
    delivery_id: d.deliveryId,
    job_id: d.jobId,
    endpoint_id: d.endpointId || null,
    url: d.url,
    event_type: d.eventType,
    message_id: d.messageId,
    status: STATUS_NAMES[d.status],
    created_at: iso(d.createdUnixMs),
    next_attempt_at: iso(d.nextAttemptUnixMs),
    attempts: d.attempts.map((a) => ({
      attempt: a.attempt,
      time: iso(a.timeUnixMs),
      status_code: a.statusCode || null,
      latency_ms: a.latencyMs,
      error: a.error || null,
      manual: a.manual,
    })),
  };
}
