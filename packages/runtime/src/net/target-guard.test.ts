import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkTargetUrl, isPublicAddress } from "./target-guard.js";
import { fetchUrl } from "./fetch-url.js";

describe("isPublicAddress", () => {
  it.each([
    "127.0.0.1",
    "10.1.2.3",
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "224.0.0.1",
    "255.255.255.255",
    "::1",
    "::",
    "fe80::1",
    "fc00::1",
    "fd00:ec2::254",
    "::ffff:127.0.0.1",
    "::ffff:169.254.169.254",
    "ff02::1",
  ])("refuses %s", (ip) => expect(isPublicAddress(ip)).toBe(false));

  it.each(["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"])("allows %s", (ip) => expect(isPublicAddress(ip)).toBe(true));
});

describe("checkTargetUrl", () => {
  it("refuses non-http schemes, credentials and literal private addresses", () => {
    expect(() => checkTargetUrl("file:///etc/passwd", { allowPrivate: false })).toThrow(/only http and https/);
    expect(() => checkTargetUrl("http://u:p@example.com/", { allowPrivate: false })).toThrow(/credentials/);
    expect(() => checkTargetUrl("http://[::ffff:7f00:1]/", { allowPrivate: false })).toThrow(/not a public address/);
    expect(() => checkTargetUrl("http://169.254.169.254/latest/meta-data", { allowPrivate: false })).toThrow(/not a public address/);
    expect(checkTargetUrl("http://127.0.0.1/x", { allowPrivate: true }).hostname).toBe("127.0.0.1");
  });

  it("refuses localhost and *.localhost names as it refuses 127.0.0.1, unless private targets are allowed", () => {
    for (const url of ["http://localhost:9000/hook", "https://LOCALHOST./x", "http://api.localhost/x"])
      expect(() => checkTargetUrl(url, { allowPrivate: false }), url).toThrow(/refusing .*127\.0\.0\.1, which is not a public address/);
    expect(checkTargetUrl("http://localhost:9000/hook", { allowPrivate: true }).port).toBe("9000");
    expect(checkTargetUrl("https://notlocalhost.example/x", { allowPrivate: false }).hostname).toBe("notlocalhost.example");
  });

  it.each(["http://2130706433/", "http://0x7f.1/", "http://0177.0.0.1/", "http://[::ffff:127.0.0.1]/", "http://0/"])(
    "refuses %s, loopback written another way",
    (url) => {
      expect(() => checkTargetUrl(url, { allowPrivate: false })).toThrow(/not a public address/);
    },
  );
});

describe("fetchUrl", () => {
  let server: Server;
  let base = "";
  let connections = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === "/big") res.end(Buffer.alloc(10_000));
      else if (req.url === "/endless") {
        // Claims a small size, then never stops sending.
        res.writeHead(200, { "content-type": "application/pdf" });
        const pump = () => {
          if (!res.destroyed) res.write(Buffer.alloc(64 * 1024), () => setImmediate(pump));
        };
        pump();
      } else if (req.url === "/slow") {
        // Slow loris: headers at once, then a byte a second.
        res.writeHead(200, { "content-type": "application/pdf" });
        const drip = setInterval(() => (res.destroyed ? clearInterval(drip) : res.write("%")), 1_000);
      } else if (req.url === "/gone") res.writeHead(404).end("no");
      else if (req.url === "/to-metadata") res.writeHead(302, { location: "http://169.254.169.254/latest" }).end();
      else res.end("%PDF-1.4 tiny");
    });
    server.on("connection", () => connections++);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it("refuses a name that resolves to loopback, after DNS resolution and before any connection", async () => {
    const port = new URL(base).port;
    const before = connections;
    await expect(fetchUrl(`http://localhost:${port}/`, { allowPrivate: false, maxBytes: 1e6, timeoutMs: 5_000 })).rejects.toMatchObject({
      code: "TARGET_NOT_ALLOWED",
    });
    await expect(fetchUrl(`http://2130706433:${port}/`, { allowPrivate: false, maxBytes: 1e6, timeoutMs: 5_000 })).rejects.toMatchObject({
      code: "TARGET_NOT_ALLOWED",
    });
    expect(connections).toBe(before);
  });

  it("aborts an endless body at the byte limit with FILE_TOO_LARGE", async () => {
    await expect(fetchUrl(`${base}/endless`, { allowPrivate: true, maxBytes: 1_000_000, timeoutMs: 10_000 })).rejects.toMatchObject({
      code: "FILE_TOO_LARGE",
    });
  });

  it("gives up on a slow-loris server at the deadline with FETCH_FAILED", async () => {
    const started = Date.now();
    await expect(fetchUrl(`${base}/slow`, { allowPrivate: true, maxBytes: 1_000_000, timeoutMs: 1_500 })).rejects.toMatchObject({
      code: "FETCH_FAILED",
      message: expect.stringMatching(/did not answer within 1500 ms/),
    });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("re-checks every redirect: an allowed host cannot bounce the fetch to cloud metadata", async () => {
    const policy = { allowPrivate: false, allowCidrs: ["127.0.0.0/8"], maxBytes: 1e6, timeoutMs: 5_000 };
    const ok = await fetchUrl(`${base}/ok`, policy);
    expect(ok.bytes.byteLength).toBeGreaterThan(0);
    await expect(fetchUrl(`${base}/to-metadata`, policy)).rejects.toMatchObject({ code: "TARGET_NOT_ALLOWED" });
  });

  it("stops reading at the byte limit with FILE_TOO_LARGE", async () => {
    await expect(fetchUrl(`${base}/big`, { allowPrivate: true, maxBytes: 1_000, timeoutMs: 5_000 })).rejects.toMatchObject({
      code: "FILE_TOO_LARGE",
    });
    const ok = await fetchUrl(`${base}/ok`, { allowPrivate: true, maxBytes: 1_000, timeoutMs: 5_000 });
    expect(Buffer.from(ok.bytes).toString()).toContain("%PDF");
  });

  it("names the cause of a failed fetch: HTTP status, refused connection, unknown host, TLS", async () => {
    const policy = { allowPrivate: true, maxBytes: 1e6, timeoutMs: 5_000 };
    await expect(fetchUrl(`${base}/gone`, policy)).rejects.toMatchObject({
      code: "FETCH_FAILED",
      details: { status: 404, cause: "status" },
    });
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as { port: number }).port;
    await new Promise((r) => closed.close(r));
    await expect(fetchUrl(`http://127.0.0.1:${port}/x.pdf`, policy)).rejects.toMatchObject({
      code: "FETCH_FAILED",
      details: { cause: "refused" },
      message: expect.stringMatching(/refused the connection/),
    });
    await expect(fetchUrl("http://no-such-host.invalid/x.pdf", policy)).rejects.toMatchObject({
      code: "FETCH_FAILED",
      details: { cause: "dns" },
      message: expect.stringMatching(/could not be resolved/),
    });
    // https to a plain-HTTP server: the handshake fails
    await expect(fetchUrl(`${base.replace("http:", "https:")}/ok`, policy)).rejects.toMatchObject({
      code: "FETCH_FAILED",
      details: { cause: "tls" },
    });
  });
});
