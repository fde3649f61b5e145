// The gateway's HTTP behaviour through app.request(), over a real nats-server and the real
// composition, with no other service running: routing, auth, validation, content negotiation,
// multipart edge cases and the error mapping. What crosses processes stays in test/*.e2e.test.ts.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger, openPipeline, type Pipeline } from "@quire/runtime";
import { startNatsServer, type NatsServer } from "@quire/runtime/testing";
import { composeGateway, type Gateway } from "../src/compose.js";
import { loadConfig } from "../src/config.js";

type Json = Record<string, any>;
const KEY = "acme-key-0123456789abcdef";

describe("gateway HTTP (app.request, no stack)", () => {
  let nats: NatsServer;
  let pipeline: Pipeline;
  let gw: Gateway;
  const shutdown = new AbortController();
  beforeAll(async () => {
    nats = await startNatsServer();
    const config = loadConfig({
      NATS_URL: nats.url,
      QUIRE_API_KEYS: `acme:${KEY}`,
      QUIRE_MAX_FILE_BYTES: "4096",
      QUIRE_METRICS_PORT: "0",
      // Nothing listens here: what needs job-status must answer 503, not hang or 500.
      QUIRE_JOB_STATUS_GRPC_ADDR: "127.0.0.1:1",
      QUIRE_NOTIFIER_GRPC_ADDR: "127.0.0.1:1",
    });
    const logger = createLogger({ service: "gateway-test", level: "silent" });
    pipeline = await openPipeline(config, logger, "gateway-test");
    gw = await composeGateway(config, logger, pipeline, shutdown.signal);
  });
  afterAll(async () => {
    shutdown.abort();
    gw?.jobs.close();
    gw?.webhooks.close();
    await pipeline?.nc.close();
    await nats?.stop();
  });

  const request = (path: string, init: RequestInit & { key?: string | null } = {}) => {
    const { key = KEY, ...rest } = init;
    const headers = new Headers(rest.headers);
    if (key) headers.set("x-api-key", key);
    return gw.app.request(path, { ...rest, headers });
  };
  const json = (body: unknown) => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const errorOf = async (res: Response) => ((await res.json()) as Json).error as { code: string; message: string; details: Json };

  it("serves health, the OpenAPI document and the docs page without a key", async () => {
    expect((await request("/healthz", { key: null })).status).toBe(200);
    const spec = (await (await request("/openapi.json", { key: null })).json()) as Json;
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(["/v1/extract", "/v1/split", "/v1/schema", "/v1/jobs/{id}", "/v1/webhooks/signing-secret"]),
    );
    expect((await request("/docs", { key: null })).headers.get("content-type")).toContain("text/html");
  });

  it("serves the committed openapi.json (pnpm generate:rest)", async () => {
    const spec = (await (await request("/openapi.json", { key: null })).json()) as Json;
    expect(spec).toEqual(JSON.parse(readFileSync(new URL("../../../openapi.json", import.meta.url), "utf8")));
  });

  it("documents exactly the routes it serves, each with its own operationId", async () => {
    const spec = (await (await request("/openapi.json", { key: null })).json()) as Json;
    const documented = Object.entries(spec.paths as Record<string, Json>).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({
        route: `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ":$1")}`,
        id: (op as Json).operationId as string,
      })),
    );
    expect(documented.every((d) => /^[a-z][A-Za-z]+$/.test(d.id))).toBe(true);
    expect(new Set(documented.map((d) => d.id)).size).toBe(documented.length);
    const served = new Set(gw.app.routes.filter((r) => r.method !== "ALL").map((r) => `${r.method} ${r.path}`));
    expect(documented.map((d) => d.route).filter((r) => !served.has(r))).toEqual([]); // nothing documented that is not served
    // The vendor routes (/reducto, /extend) follow the vendors' own API contracts, not Quire's OpenAPI document.
    const vendor = (r: string) => / \/(reducto|extend)\//.test(r);
    expect(
      [...served].filter((r) => !documented.some((d) => d.route === r) && !vendor(r) && !["GET /openapi.json", "GET /docs"].includes(r)),
    ).toEqual([]);
  });

  it("refuses /v1 without a valid key, by header or Bearer, with one error body", async () => {
    const none = await request("/v1/jobs", { key: null });
    expect(none.status).toBe(401);
    expect(await errorOf(none)).toMatchObject({ code: "UNAUTHENTICATED", message: expect.stringMatching(/x-api-key/) });
    expect((await request("/v1/jobs", { key: "wrong-key-0123456789" })).status).toBe(401);
    const bearer = await gw.app.request("/v1/jobs/not-a-job", { headers: { authorization: `Bearer ${KEY}` } });
    expect(bearer.status).toBe(404); // authenticated: the id is what is wrong
  });

  it("answers an unknown route 404 NOT_FOUND naming it, and echoes x-request-id", async () => {
    const res = await request("/v1/nothing-here", { headers: { "x-request-id": "req-123" } });
    expect(res.status).toBe(404);
    expect((await errorOf(res)).message).toBe("no route GET /v1/nothing-here");
    expect(res.headers.get("x-request-id")).toBe("req-123");
  });

  it("negotiates the body: JSON or multipart only, a JSON object, valid JSON", async () => {
    const text = await request("/v1/extract", { method: "POST", headers: { "content-type": "text/plain" }, body: "hi" });
    expect(text.status).toBe(415);
    expect((await errorOf(text)).code).toBe("UNSUPPORTED_FILE_TYPE");
    const broken = await request("/v1/extract", { method: "POST", headers: { "content-type": "application/json" }, body: "{nope" });
    expect(broken.status).toBe(400);
    expect((await errorOf(broken)).message).toBe("the body is not valid JSON");
    const array = await request("/v1/extract", json([1, 2]));
    expect((await errorOf(array)).message).toBe("the JSON body must be an object");
  });

  it("validates every field before anything is stored, listing each problem with its path", async () => {
    const res = await request("/v1/extract", json({ file_url: "ftp://x", pages: "abc", ocr: "sometimes" }));
    expect(res.status).toBe(400);
    const e = await errorOf(res);
    expect(e.code).toBe("INVALID_ARGUMENT");
    expect(e.details.problems.map((p: Json) => p.field)).toEqual(expect.arrayContaining(["file_url", "pages", "ocr"]));
    const split = await request(
      "/v1/split",
      json({
        file_id: `file_${"0".repeat(64)}`,
        split_config: {
          split_input: [
            { name: "a", description: "x" },
            { name: "a", description: "y" },
          ],
        },
      }),
    );
    expect(split.status).toBe(400);
    expect((await errorOf(split)).message).toMatch(/split_config/);
    const schema = await request(
      "/v1/schema",
      json({
        file_id: `file_${"0".repeat(64)}`,
        schema_config: { input_schema: { type: "object", properties: { a: { type: "strnig" } } } },
      }),
    );
    expect(schema.status).toBe(400);
    expect(await errorOf(schema)).toMatchObject({
      code: "INVALID_SCHEMA",
      details: expect.objectContaining({ pointer: expect.any(String) }),
    });
    // A backwards range is refused here, before a job exists (not left to fail in parse).
    const backwards = await request("/v1/extract", json({ file_url: "https://example.com/a.pdf", pages: "5-2" }));
    expect(backwards.status).toBe(400);
    expect((await errorOf(backwards)).details.problems[0].field).toBe("pages");
    expect((await request("/v1/extract", json({ file_url: "https://example.com/a.pdf", pages: "0" }))).status).toBe(400);
    const none = await request("/v1/extract", json({}));
    expect((await errorOf(none)).message).toMatch(/send exactly one of: file, file_url, file_id/);
  });

  it("handles multipart edge cases: a repeated field, a file sent as text, a bad boolean, an oversized file", async () => {
    const twice = new FormData();
    twice.append("pages", "1");
    twice.append("pages", "2");
    expect((await errorOf(await request("/v1/extract", { method: "POST", body: twice }))).message).toBe(
      "field pages was sent more than once",
    );
    const asText = new FormData();
    asText.set("file", "not a file part");
    expect((await errorOf(await request("/v1/extract", { method: "POST", body: asText }))).message).toBe("field file must be a file part");
    const bool = new FormData();
    bool.set("file", new Blob([new Uint8Array(10)]), "a.pdf");
    bool.set("async", "maybe");
    expect((await errorOf(await request("/v1/extract", { method: "POST", body: bool }))).message).toBe("async must be true or false");
    const big = new FormData();
    big.set("file", new Blob([new Uint8Array(5000)]), "big.pdf");
    const tooLarge = await request("/v1/files", { method: "POST", body: big });
    expect(tooLarge.status).toBe(413);
    expect(await errorOf(tooLarge)).toMatchObject({ code: "FILE_TOO_LARGE", details: { max_bytes: 4096 } });
  });

  it("refuses a webhook target on this machine or a private network at submit", async () => {
    for (const url of ["http://localhost/hook", "http://127.0.0.1/hook", "http://10.1.2.3/hook", "http://169.254.169.254/latest"]) {
      const res = await request("/v1/extract", json({ file_url: "https://example.com/a.pdf", async: true, webhook_url: url }));
      expect(res.status, url).toBe(400);
      expect((await errorOf(res)).code, url).toBe("TARGET_NOT_ALLOWED");
    }
  });

  it("maps an unreachable job store to 503 UNAVAILABLE with Retry-After, and readiness to 503", async () => {
    const res = await request(`/v1/jobs/job_${"a".repeat(32)}`);
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("2");
    expect((await errorOf(res)).code).toBe("UNAVAILABLE");
    const ready = await request("/readyz", { key: null });
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as Json).checks).toMatchObject({ nats: "ok", shutdown: "ok" });
  });

  it("answers ids that cannot name a job or an extraction 404 without asking anyone", async () => {
    expect((await errorOf(await request("/v1/jobs/job_nope"))).code).toBe("NOT_FOUND");
    expect((await errorOf(await request("/v1/extractions/ext_nope"))).code).toBe("NOT_FOUND");
  });

  it("answers webhook routes 503 UNAVAILABLE naming the setting when the notifier does not answer", async () => {
    const res = await request("/v1/webhooks");
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("2");
    expect(await errorOf(res)).toMatchObject({ code: "UNAVAILABLE", message: expect.stringContaining("QUIRE_NOTIFIER_GRPC_ADDR") });
    // Nothing is half-made: a job naming a webhook needs the notifier first (its secret), and is refused.
    const job = await request(
      "/v1/extract",
      json({ file_url: "https://example.com/a.pdf", async: true, webhook_url: "https://hooks.example.com/q" }),
    );
    expect(job.status).toBe(503);
  });
});
