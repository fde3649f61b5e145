import { lookup } from "node:dns/promises";
import { hostname } from "node:os";
import { isPublicAddress } from "@quire/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStack, type Stack } from "./harness.js";
import { call, startReceiver, submit, waitForDelivery, type Receiver } from "./webhook-receiver.js";
import { formWith, makePdf } from "./fixtures.js";

type Json = Record<string, any>;

describe("webhook SSRF guard (private targets NOT allowed, as in production)", () => {
  let stack: Stack;
  let rx: Receiver;
  beforeAll(async () => {
    rx = await startReceiver();
    stack = await startStack({ QUIRE_ALLOW_PRIVATE_TARGETS: "false", QUIRE_WEBHOOK_RETRY_SCHEDULE_MS: "0,200,200" });
  });
  afterAll(async () => {
    await stack?.stop();
    await rx?.close();
  });

  it.each([
    ["loopback", "http://127.0.0.1:9/hook"],
    ["cloud metadata", "http://169.254.169.254/latest/meta-data"],
    ["IPv4-mapped IPv6 loopback", "http://[::ffff:127.0.0.1]/hook"],
    ["IPv6 unique-local", "http://[fd00:ec2::254]/"],
    ["private range", "http://10.0.0.8/hook"],
    ["CGNAT", "http://100.64.0.1/hook"],
    ["localhost name", "http://localhost:9/hook"],
    ["*.localhost name", "http://hooks.localhost/hook"],
  ])("refuses a literal %s webhook_url at submit time with 400", async (_name, url) => {
    const res = await stack.api("/v1/extract", { method: "POST", body: formWith(await makePdf(1), { async: "true", webhook_url: url }) });
    expect(res.status).toBe(400);
    const body = (await res.json()) as Json;
    expect(body.error).toMatchObject({ code: "TARGET_NOT_ALLOWED", message: expect.stringContaining("webhook_url") });
  });

  it("refuses a webhook_url that is not http(s) or carries credentials, with 400", async () => {
    for (const url of ["ftp://example.com/hook", "file:///etc/passwd", "http://user:pw@example.com/hook"]) {
      const res = await stack.api("/v1/extract", { method: "POST", body: formWith(await makePdf(1), { async: "true", webhook_url: url }) });
      expect(res.status, url).toBe(400);
    }
  });

  it("refuses to register an endpoint at a literal private address", async () => {
    const res = await call(stack, "POST", "/v1/webhooks", { url: "http://169.254.169.254/latest" });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("TARGET_NOT_ALLOWED");
  });

  it("refuses, after DNS resolution, a name that resolves to loopback, and never retries it", async () => {
    const port = new URL(rx.url).port;
    // The machine's own name passes the submit-time check (it is a name), then resolves to a
    // loopback or private address (/etc/hosts), where the receiver listens.
    const name = hostname();
    expect(isPublicAddress((await lookup(name)).address)).toBe(false);
    const jobId = await submit(stack, { webhook_url: `http://${name}:${port}/dns` });
    const log = await waitForDelivery(stack, `job_id=${jobId}`, (d) => d.status === "failed");
    expect(log.attempts).toHaveLength(1);
    expect(log.attempts[0]).toMatchObject({ status_code: null, error: expect.stringContaining(`TARGET_NOT_ALLOWED: refusing ${name}`) });
    expect(rx.received("/dns")).toEqual([]);
  });
});
