import type * as api from "./gen/api.js";
import type { HttpClient } from "./http.js";
import type { RequestOptions } from "./jobs.js";
import type {
  CreatedWebhookEndpoint,
  CreateWebhookParams,
  DeletedWebhookEndpoint,
  ListWebhookDeliveriesParams,
  RetriedWebhookDelivery,
  RotatedWebhookSecret,
  TenantSigningSecret,
  WebhookEndpoint,
} from "./types.js";

/** `GET /v1/webhooks`. */
export type WebhookEndpointList = api.WebhookList;

/** `GET /v1/webhooks/deliveries`. */
export type WebhookDeliveryList = api.WebhookDeliveryList;

/**
 * `quire.webhooks`: endpoints that receive every job's events, their secrets, and the delivery
 * log. (A single job can also name its own target: the extract options `webhookUrl`,
 * `webhookSecret`, `webhookEvents`.) Check deliveries with `verifyWebhook`.
 */
export class WebhooksResource {
  readonly #http: HttpClient;

  constructor(http: HttpClient) {
    this.#http = http;
  }

  /**
   * Registers an endpoint. The response holds its `whsec_…` secret, **shown only here**: store
   * it to verify deliveries. The server does not deduplicate this call, so it is retried only
   * when the server surely did not act on it (see `QuireOptions.maxRetries`).
   * @throws QuireApiError `INVALID_ARGUMENT` (400) for a bad URL or event type,
   *   `TARGET_NOT_ALLOWED` for a private address, `CONFLICT` (409) at the endpoint limit.
   */
  async create(params: CreateWebhookParams, options: RequestOptions = {}): Promise<CreatedWebhookEndpoint> {
    const { url, events, description } = params;
    const res = await this.#http.request<CreatedWebhookEndpoint>({
      method: "POST",
      path: BASE,
      body: { json: { url, events, description } },
      idempotent: false,
      signal: options.signal,
    });
    return res.body;
  }

  /** This tenant's endpoints, without their secrets. */
  async list(options: RequestOptions = {}): Promise<WebhookEndpointList> {
    const res = await this.#http.request<WebhookEndpointList>({ method: "GET", path: BASE, signal: options.signal });
    return res.body;
  }

  /**
   * The tenant's signing secret: it signs the deliveries of job webhooks whose request named no
   * webhook_secret (made on first use), so verify those with it.
   */
  async signingSecret(options: RequestOptions = {}): Promise<TenantSigningSecret> {
    const res = await this.#http.request<TenantSigningSecret>({ method: "GET", path: `${BASE}/signing-secret`, signal: options.signal });
    return res.body;
  }

  /** @throws QuireApiError `NOT_FOUND` (404) for an unknown id or another tenant's endpoint. */
  async get(endpointId: string, options: RequestOptions = {}): Promise<WebhookEndpoint> {
    const res = await this.#http.request<WebhookEndpoint>({ method: "GET", path: endpointPath(endpointId), signal: options.signal });
    return res.body;
  }

  /**
   * Deletes an endpoint; its pending deliveries stop at their next attempt.
   * @throws QuireApiError `NOT_FOUND` (404).
   */
  async delete(endpointId: string, options: RequestOptions = {}): Promise<DeletedWebhookEndpoint> {
    const res = await this.#http.request<DeletedWebhookEndpoint>({
      method: "DELETE",
      path: endpointPath(endpointId),
      signal: options.signal,
    });
    return res.body;
  }

  /**
   * Replaces the endpoint's secret with a new one, returned only here. Until
   * `previous_secret_expires_at`, deliveries carry a signature made with the old secret too,
   * so receivers can switch over without dropping any.
   * @throws QuireApiError `NOT_FOUND` (404), `CONFLICT` (409) if the endpoint kept changing.
   */
  async rotate(endpointId: string, options: RequestOptions = {}): Promise<RotatedWebhookSecret> {
    const res = await this.#http.request<RotatedWebhookSecret>({
      method: "POST",
      path: `${endpointPath(endpointId)}/rotate`,
      signal: options.signal,
    });
    return res.body;
  }

  /**
   * The delivery log, newest first: each event sent to each target, with every attempt's time,
   * status code, latency and error. Filter by job, by endpoint (`"request"` for jobs' own
   * `webhookUrl`), or both.
   */
  async deliveries(params: ListWebhookDeliveriesParams = {}, options: RequestOptions = {}): Promise<WebhookDeliveryList> {
    const query = { job_id: params.jobId, endpoint_id: params.endpointId, limit: params.limit };
    const res = await this.#http.request<WebhookDeliveryList>({ method: "GET", path: `${BASE}/deliveries`, query, signal: options.signal });
    return res.body;
  }

  /**
   * Sends a delivery again now, with the same `webhook-id` (receivers that drop duplicates
   * will drop it) and the next attempt number. A delivery still waiting for an automatic
   * retry has that retry brought forward.
   * @throws QuireApiError `NOT_FOUND` (404); `CONFLICT` (409) when an attempt is in flight or
   *   the endpoint was deleted or disabled.
   */
  async retryDelivery(deliveryId: string, options: RequestOptions = {}): Promise<RetriedWebhookDelivery> {
    const res = await this.#http.request<RetriedWebhookDelivery>({
      method: "POST",
      path: `${BASE}/deliveries/${encodeId(deliveryId, "delivery id")}/retry`,
      signal: options.signal,
    });
    return res.body;
  }
}

const BASE = "/v1/webhooks";

const endpointPath = (endpointId: string): string => `${BASE}/${encodeId(endpointId, "endpoint id")}`;

/** An empty id would turn `/v1/webhooks/{id}` into another route (the list), so it is refused here. */
function encodeId(id: string, what: string): string {
  if (typeof id !== "string" || id === "") throw new TypeError(`a webhook ${what} is required`);
  return encodeURIComponent(id);
}
