import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Quire } from "./client.js";
import { QuireApiError, QuireConnectionError } from "./errors.js";
import { apiError, startMockApi, type MockApi } from "./testing/mock-api.js";
import { DELIVERY_ID, ENDPOINT_ID, JOB_ID, WEBHOOK_SECRET, webhookDelivery, webhookEndpoint } from "./testing/fixtures.js";

const endpointPath = `/v1/webhooks/${ENDPOINT_ID}`;

describe("quire.webhooks", () => {
  let api: MockApi;
  let quire: Quire;
  beforeEach(async () => {
    api = await startMockApi();
    quire = new Quire("sk_test_0123456789", { baseUrl: api.url, retryDelayMs: 5 });
  });
  afterEach(() => api.close());

  it("create() POSTs url, events and description as JSON and returns the endpoint with its secret", async () => {
    const created = { ...webhookEndpoint({ events: ["job.completed", "job.progress"], description: "billing" }), secret: WEBHOOK_SECRET };
    api.on("POST", "/v1/webhooks", { status: 201, json: created });
    const ep = await quire.webhooks.create({
      url: "https://hooks.example.com/quire",
      events: ["job.completed", "job.progress"],
      description: "billing",
    });
    expect(ep).toEqual(created);
    expect(ep.secret).toMatch(/^whsec_/);
    const sent = api.seen("POST", "/v1/webhooks")[0]!;
    expect(sent.headers["content-type"]).toBe("application/json");
    expect(sent.headers["x-api-key"]).toBe("sk_test_0123456789");
    expect(JSON.parse(sent.body)).toEqual({
      url: "https://hooks.example.com/quire",
      events: ["job.completed", "job.progress"],
      description: "billing",
    });
  });

  it("create() leaves out the optional fields it was not given, so the server's defaults apply", async () => {
    api.on("POST", "/v1/webhooks", { status: 201, json: { ...webhookEndpoint(), secret: WEBHOOK_SECRET } });
    await quire.webhooks.create({ url: "https://hooks.example.com/quire" });
    expect(JSON.parse(api.requests[0]!.body)).toEqual({ url: "https://hooks.example.com/quire" });
  });

  it("list() GETs /v1/webhooks and returns the wire shape", async () => {
    const body = {
      webhooks: [webhookEndpoint(), webhookEndpoint({ endpoint_id: `ep_${"9".repeat(32)}`, disabled: true, disabled_reason: "410 Gone" })],
    };
    api.on("GET", "/v1/webhooks", { json: body });
    await expect(quire.webhooks.list()).resolves.toEqual(body);
    expect(api.requests[0]).toMatchObject({ method: "GET", path: "/v1/webhooks" });
  });

  it("signingSecret() GETs the tenant's signing secret", async () => {
    api.on("GET", "/v1/webhooks/signing-secret", {
      json: { secret: WEBHOOK_SECRET, signs: "job webhooks whose request named no webhook_secret" },
    });
    await expect(quire.webhooks.signingSecret()).resolves.toMatchObject({ secret: WEBHOOK_SECRET });
    expect(api.requests[0]).toMatchObject({ method: "GET", path: "/v1/webhooks/signing-secret" });
  });

  it("get() and delete() address the endpoint by id", async () => {
    api.on("GET", endpointPath, { json: webhookEndpoint() });
    api.on("DELETE", endpointPath, { json: { endpoint_id: ENDPOINT_ID, deleted: true } });
    await expect(quire.webhooks.get(ENDPOINT_ID)).resolves.toEqual(webhookEndpoint());
    await expect(quire.webhooks.delete(ENDPOINT_ID)).resolves.toEqual({ endpoint_id: ENDPOINT_ID, deleted: true });
    expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET ${endpointPath}`, `DELETE ${endpointPath}`]);
  });

  it("get() of an unknown endpoint throws QuireApiError NOT_FOUND; ids are escaped into the path", async () => {
    const err = await quire.webhooks.get("ep_../x").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QuireApiError);
    expect(err).toMatchObject({ status: 404, code: "NOT_FOUND" });
    expect(api.requests[0]?.path).toBe("/v1/webhooks/ep_..%2Fx");
  });

  it("refuses an empty id rather than calling another route", async () => {
    await expect(quire.webhooks.get("")).rejects.toThrow(TypeError);
    await expect(quire.webhooks.delete("")).rejects.toThrow(TypeError);
    await expect(quire.webhooks.retryDelivery("")).rejects.toThrow(TypeError);
    expect(api.requests).toHaveLength(0);
  });

  it("rotate() POSTs to /v1/webhooks/{id}/rotate without a body and returns the new secret", async () => {
    const rotated = { endpoint_id: ENDPOINT_ID, secret: WEBHOOK_SECRET, previous_secret_expires_at: "2025-01-02T00:00:00.000Z" };
    api.on("POST", `${endpointPath}/rotate`, { json: rotated });
    await expect(quire.webhooks.rotate(ENDPOINT_ID)).resolves.toEqual(rotated);
    const sent = api.requests[0]!;
    expect(sent).toMatchObject({ method: "POST", path: `${endpointPath}/rotate`, body: "" });
    expect(sent.headers["idempotency-key"]).toBeTruthy();
  });

  it("deliveries() sends jobId and endpointId as job_id and endpoint_id query parameters", async () => {
    const body = { deliveries: [webhookDelivery()] };
    api.on("GET", "/v1/webhooks/deliveries", { json: body });
    await expect(quire.webhooks.deliveries({ jobId: JOB_ID, endpointId: ENDPOINT_ID, limit: 10 })).resolves.toEqual(body);
    await quire.webhooks.deliveries({ endpointId: "request" });
    await quire.webhooks.deliveries();
    const queries = api.seen("GET", "/v1/webhooks/deliveries").map((r) => Object.fromEntries(r.query));
    expect(queries).toEqual([{ job_id: JOB_ID, endpoint_id: ENDPOINT_ID, limit: "10" }, { endpoint_id: "request" }, {}]);
  });

  it("retryDelivery() POSTs to /v1/webhooks/deliveries/{id}/retry and returns the scheduled replay", async () => {
    const scheduled = { delivery_id: DELIVERY_ID, status: "pending", next_attempt_at: "2025-01-01T00:01:00.000Z" };
    api.on("POST", `/v1/webhooks/deliveries/${DELIVERY_ID}/retry`, { status: 202, json: scheduled });
    await expect(quire.webhooks.retryDelivery(DELIVERY_ID)).resolves.toEqual(scheduled);
    expect(api.requests[0]).toMatchObject({ method: "POST", path: `/v1/webhooks/deliveries/${DELIVERY_ID}/retry`, body: "" });
  });

  it("retryDelivery() of a delivery in flight throws QuireApiError CONFLICT (409), not retried", async () => {
    api.on(
      "POST",
      `/v1/webhooks/deliveries/${DELIVERY_ID}/retry`,
      apiError(409, "CONFLICT", "an attempt of this delivery is in flight right now; retry in a moment"),
    );
    await expect(quire.webhooks.retryDelivery(DELIVERY_ID)).rejects.toMatchObject({ status: 409, code: "CONFLICT" });
    expect(api.requests).toHaveLength(1);
  });
});

describe("quire.webhooks.create() retries only when the server surely did not act", () => {
  let api: MockApi;
  let quire: Quire;
  const created = { status: 201, json: { ...webhookEndpoint(), secret: WEBHOOK_SECRET } };
  beforeEach(async () => {
    api = await startMockApi();
    quire = new Quire("sk_test_0123456789", { baseUrl: api.url, retryDelayMs: 5, timeoutMs: 300 });
  });
  afterEach(() => api.close());

  it("retries 429 and 503", async () => {
    api.on("POST", "/v1/webhooks", apiError(429, "RATE_LIMITED", "slow down"), apiError(503, "UNAVAILABLE", "busy"), created);
    await expect(quire.webhooks.create({ url: "https://hooks.example.com/quire" })).resolves.toMatchObject({ secret: WEBHOOK_SECRET });
    expect(api.requests).toHaveLength(3);
  });

  it("does not retry a 502 or 504, which may come after the endpoint was registered", async () => {
    api.on("POST", "/v1/webhooks", apiError(502, "UNKNOWN", "bad gateway"), created);
    await expect(quire.webhooks.create({ url: "https://hooks.example.com/quire" })).rejects.toMatchObject({ status: 502 });
    api.on("POST", "/v1/webhooks", apiError(504, "UNKNOWN", "gateway timeout"), created);
    await expect(quire.webhooks.create({ url: "https://hooks.example.com/quire" })).rejects.toMatchObject({ status: 504 });
    expect(api.requests).toHaveLength(2);
  });

  it("does not retry a timed-out attempt, while an idempotent GET is retried", async () => {
    api.on("POST", "/v1/webhooks", { ...created, delayMs: 1_000 });
    const err = await quire.webhooks.create({ url: "https://hooks.example.com/quire" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QuireConnectionError);
    expect(err).toMatchObject({ timedOut: true });
    expect(api.seen("POST", "/v1/webhooks")).toHaveLength(1);
    api.on("GET", "/v1/webhooks", { json: { webhooks: [] }, delayMs: 1_000 }, { json: { webhooks: [] } });
    await expect(quire.webhooks.list()).resolves.toEqual({ webhooks: [] });
    expect(api.seen("GET", "/v1/webhooks")).toHaveLength(2);
  });

  it("retries a refused connection (never sent) but not a reset one (maybe acted on)", async () => {
    const networkError = (code: string) => new TypeError("fetch failed", { cause: Object.assign(new Error(code), { code }) });
    const calls: string[] = [];
    const script = [networkError("ECONNREFUSED"), networkError("ECONNRESET")];
    const fake = new Quire("sk_test_0123456789", {
      baseUrl: "http://quire.invalid",
      retryDelayMs: 5,
      maxRetries: 3,
      fetch: async (input) => {
        calls.push(input instanceof Request ? input.url : String(input as string | URL));
        const next = script.shift();
        if (next) throw next;
        return Response.json(created.json, { status: 201 });
      },
    });
    const err = await fake.webhooks.create({ url: "https://hooks.example.com/quire" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QuireConnectionError);
    expect((err as Error).message).toContain("ECONNRESET");
    expect(calls).toEqual(["http://quire.invalid/v1/webhooks", "http://quire.invalid/v1/webhooks"]);
  });
});
