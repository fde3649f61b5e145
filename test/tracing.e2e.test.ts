import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "@quire/runtime/testing";
import { formWith, makePdf } from "./fixtures.js";
import { startStack, type Stack } from "./harness.js";
import { startReceiver } from "./webhook-receiver.js";

interface SpanSeen {
  service: string;
  name: string;
  traceId: string;
  jobId?: string;
}

/** A stand-in OpenTelemetry collector: accepts OTLP/HTTP JSON and keeps the spans. */
async function startCollector(): Promise<{ url: string; spans: SpanSeen[]; server: Server }> {
  const spans: SpanSeen[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => (body += d.toString()));
    req.on("end", () => {
      if (req.url === "/v1/traces") collect(JSON.parse(body), spans);
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, spans, server };
}

type Attr = { key: string; value: { stringValue?: string } };
function collect(
  payload: {
    resourceSpans?: Array<{
      resource?: { attributes?: Attr[] };
      scopeSpans?: Array<{ spans?: Array<{ name: string; traceId: string; attributes?: Attr[] }> }>;
    }>;
  },
  out: SpanSeen[],
): void {
  for (const rs of payload.resourceSpans ?? []) {
    const service = rs.resource?.attributes?.find((a) => a.key === "service.name")?.value.stringValue ?? "";
    for (const ss of rs.scopeSpans ?? [])
      for (const s of ss.spans ?? []) {
        const jobId = s.attributes?.find((a) => a.key === "quire.job_id")?.value.stringValue;
        out.push({ service, name: s.name, traceId: s.traceId, ...(jobId ? { jobId } : {}) });
      }
  }
}

describe("OpenTelemetry: one trace per job, from the HTTP request through every stage", () => {
  let stack: Stack;
  let collector: Awaited<ReturnType<typeof startCollector>>;
  beforeAll(async () => {
    collector = await startCollector();
    stack = await startStack({ OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, QUIRE_WEBHOOK_RETRY_SCHEDULE_MS: "0,300,1000" });
  });
  afterAll(async () => {
    await stack?.stop();
    collector?.server.close();
  });

  it("exports gateway, parse and extract spans that share the request's trace id", async () => {
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const res = await stack.api("/v1/extract", {
      method: "POST",
      headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
      body: formWith(await makePdf(1)),
    });
    expect(res.status).toBe(200);
    const { job_id } = (await res.json()) as { job_id: string };
    const stageSpans = await waitFor(
      "stage spans to be exported",
      () => {
        const seen = collector.spans.filter((s) => s.jobId === job_id);
        return seen.some((s) => s.name === "stage parse") && seen.some((s) => s.name === "stage extract") ? seen : undefined;
      },
      { timeoutMs: 20_000 },
    );
    expect(stageSpans.every((s) => s.traceId === traceId)).toBe(true);
    expect(new Set(stageSpans.map((s) => s.service))).toEqual(new Set(["quire-parse", "quire-extract"]));
    const requestSpan = collector.spans.find((s) => s.service === "quire-gateway" && s.name === "POST /v1/extract");
    expect(requestSpan?.traceId).toBe(traceId);
  });

  it("names the trace on the job and on every log line written about the job, in every service", async () => {
    const traceId = "0af7651916cd43dd8448eb211c80319c";
    const res = await stack.api("/v1/extract", {
      method: "POST",
      headers: { traceparent: `00-${traceId}-b7ad6b7169203331-01` },
      body: formWith(await makePdf(1)),
    });
    const { job_id } = (await res.json()) as { job_id: string };
    const job = (await (await stack.api(`/v1/jobs/${job_id}`)).json()) as { trace_id: string | null };
    expect(job.trace_id).toBe(traceId);
    // Every line a service wrote about the job (with its jobId) carries the job's trace id;
    // a later GET of the job is another request, with a trace of its own.
    for (const name of ["gateway", "parse", "extract"] as const) {
      const lines = stack
        .logs(name)
        .filter((l) => l.includes(`"jobId":"${job_id}"`))
        .map((l) => JSON.parse(l) as { trace_id?: string });
      expect(lines.length, `${name} logged job ${job_id}`).toBeGreaterThan(0);
      expect(
        lines.filter((l) => l.trace_id !== traceId).map((l) => JSON.stringify(l)),
        `${name} lines without the job trace_id`,
      ).toEqual([]);
    }
  });

  it("makes each webhook attempt a span of the job's trace, and the notifier's lines about it carry the trace id", async () => {
    const receiver = await startReceiver();
    try {
      receiver.on("/hook", (n) => (n === 1 ? 500 : 200)); // two attempts
      const traceId = "5c2a6b7f4e9d41c2b0a1d3e5f7a9c1e3";
      const res = await stack.api("/v1/extract", {
        method: "POST",
        headers: { traceparent: `00-${traceId}-a1b2c3d4e5f60718-01` },
        body: formWith(await makePdf(1), { webhook_url: `${receiver.url}/hook` }),
      });
      const { job_id } = (await res.json()) as { job_id: string };
      const attempts = await waitFor(
        "two webhook attempt spans",
        () => {
          const seen = collector.spans.filter((s) => s.name === "webhook attempt" && s.jobId === job_id);
          return seen.length >= 2 ? seen : undefined;
        },
        { timeoutMs: 30_000 },
      );
      expect(attempts.every((s) => s.traceId === traceId && s.service === "quire-notifier")).toBe(true);
      const lines = stack
        .logs("notifier")
        .filter((l) => l.includes(`"jobId":"${job_id}"`))
        .map((l) => JSON.parse(l) as { trace_id?: string });
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.filter((l) => l.trace_id !== traceId)).toEqual([]);
    } finally {
      await receiver.close();
    }
  });
});
