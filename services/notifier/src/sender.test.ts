import { createServer, type Server, type ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSender, type Sender } from "./sender.js";

describe("sender", () => {
  let server: Server;
  let base = "";
  let port = "";
  const hits: string[] = [];
  const hanging: ServerResponse[] = [];
  let open: Sender;
  let guarded: Sender;

  beforeAll(async () => {
    server = createServer((req, res) => {
      hits.push(req.url ?? "");
      req.resume();
      if (req.url === "/ok") res.writeHead(204).end();
      else if (req.url === "/moved") res.writeHead(302, { location: "/ok" }).end();
      else if (req.url === "/busy") res.writeHead(503, { "retry-after": "7" }).end();
      else if (req.url === "/gone") res.writeHead(410).end();
      else hanging.push(res);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    port = String((server.address() as { port: number }).port);
    base = `http://127.0.0.1:${port}`;
    open = createSender({ timeoutMs: 500, allowPrivate: true });
    guarded = createSender({ timeoutMs: 500, allowPrivate: false });
  });
  afterAll(async () => {
    for (const r of hanging) r.destroy();
    await open.close();
    await guarded.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const post = (s: Sender, url: string) => s.send(url, { "content-type": "application/json" }, "{}");

  it("reports 2xx as success with the latency", async () => {
    expect(await post(open, `${base}/ok`)).toMatchObject({ statusCode: 204, error: "" });
  });

  it("does not follow a redirect: one request, and a 3xx failure", async () => {
    const before = hits.length;
    const o = await post(open, `${base}/moved`);
    expect(o).toMatchObject({ statusCode: 302, error: expect.stringContaining("redirects are not followed") });
    expect(o.final).toBeUndefined();
    expect(hits.slice(before)).toEqual(["/moved"]);
  });

  it("marks 410 as final and reads Retry-After", async () => {
    expect(await post(open, `${base}/gone`)).toMatchObject({ statusCode: 410, final: "gone" });
    expect(await post(open, `${base}/busy`)).toMatchObject({ statusCode: 503, retryAfterMs: 7_000 });
  });

  it("gives up on a receiver that does not answer within the timeout (retryable)", async () => {
    const o = await post(open, `${base}/hang`);
    expect(o).toMatchObject({ statusCode: 0, error: "no response within 500 ms" });
    expect(o.final).toBeUndefined();
    expect(o.latencyMs).toBeGreaterThanOrEqual(400);
  });

  it("reports a refused connection as a retryable network error", async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(closed.address() as { port: number }).port}/`;
    await new Promise((r) => closed.close(r));
    const o = await post(open, url);
    expect(o.error).toMatch(/ECONNREFUSED/);
    expect(o.final).toBeUndefined();
  });

  it("refuses a literal loopback address before connecting", async () => {
    const before = hits.length;
    expect(await post(guarded, `${base}/ok`)).toMatchObject({
      statusCode: 0,
      final: "refused",
      error: expect.stringMatching(/^TARGET_NOT_ALLOWED/),
    });
    expect(hits.length).toBe(before);
  });

  it("refuses a name that resolves to loopback after DNS resolution", async () => {
    const before = hits.length;
    const o = await post(guarded, `http://localhost:${port}/ok`);
    expect(o).toMatchObject({ final: "refused", error: expect.stringContaining("refusing localhost") });
    expect(hits.length).toBe(before);
  });
});
