import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "@quire/runtime/testing";
import { formWith, makePdf } from "./fixtures.js";
import { startStack, type ServiceName, type Stack } from "./harness.js";
import { startReceiver, type Receiver } from "./webhook-receiver.js";

/** One scrape of a service's /metrics, as Prometheus reads it. */
async function scrape(stack: Stack, name: ServiceName): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${stack.metricsPort(name)}/metrics`);
  expect(res.status).toBe(200);
  return res.text();
}

/** Sum of the samples of `metric` whose labels include `labels`. */
function value(text: string, metric: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split("\n")) {
    const m = line.match(/^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/);
    if (!m || m[1] !== metric) continue;
    const have = Object.fromEntries([...(m[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) sum += Number(m[3]);
  }
  return sum;
}

describe("metrics: a Prometheus /metrics endpoint on every service", () => {
  let stack: Stack;
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver();
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.stop();
    await receiver?.close();
  });

  it("moves the job, stage, page, webhook and request counters when a job runs", async () => {
    const before = Object.fromEntries(
      await Promise.all((["gateway", "parse", "extract", "notifier"] as const).map(async (n) => [n, await scrape(stack, n)] as const)),
    );
    const res = await stack.api("/v1/extract", {
      method: "POST",
      body: formWith(await makePdf(3), { webhook_url: `${receiver.url}/metrics-hook` }),
    });
    expect(res.status).toBe(200);
    await waitFor("the webhook", () => receiver.received("/metrics-hook").length > 0);

    const gateway = await scrape(stack, "gateway");
    const route = { http_request_method: "POST", http_route: "/v1/extract", http_response_status_code: "200" };
    expect(
      value(gateway, "http_server_request_duration_count", route) - value(before.gateway, "http_server_request_duration_count", route),
    ).toBe(1);
    expect(
      value(gateway, "quire_jobs_submitted_total", { kind: "extract" }) -
        value(before.gateway, "quire_jobs_submitted_total", { kind: "extract" }),
    ).toBe(1);

    const parse = await scrape(stack, "parse");
    const ok = { stage: "parse", outcome: "ok" };
    expect(value(parse, "quire_stage_duration_count", ok) - value(before.parse, "quire_stage_duration_count", ok)).toBe(1);
    expect(
      value(parse, "quire_pages_total", { stage: "parse", ocr: "false" }) -
        value(before.parse, "quire_pages_total", { stage: "parse", ocr: "false" }),
    ).toBe(3);
    expect(parse).toMatch(/^quire_stage_backlog\{[^}]*stage="parse"[^}]*\} 0$/m);

    // The job ended in extract, the last stage of its plan: counted there, once.
    const extract = await scrape(stack, "extract");
    const done = { kind: "extract", status: "completed" };
    expect(value(extract, "quire_jobs_ended_total", done) - value(before.extract, "quire_jobs_ended_total", done)).toBe(1);

    const notifier = await waitFor("the attempt counted", async () => {
      const text = await scrape(stack, "notifier");
      return value(text, "quire_webhook_attempts_total", { outcome: "delivered" }) >
        value(before.notifier, "quire_webhook_attempts_total", { outcome: "delivered" })
        ? text
        : undefined;
    });
    expect(
      value(notifier, "quire_webhook_attempts_total", { outcome: "delivered" }) -
        value(before.notifier, "quire_webhook_attempts_total", { outcome: "delivered" }),
    ).toBe(1);
  });

  it("counts a canceled job as canceled in the service that ended it", async () => {
    const res = await stack.api("/v1/extract", { method: "POST", body: formWith(await makePdf(200, 12), { async: "true" }) });
    const { job_id } = (await res.json()) as { job_id: string };
    const before = await scrape(stack, "gateway");
    expect((await stack.api(`/v1/jobs/${job_id}`, { method: "DELETE" })).status).toBe(200);
    const after = await scrape(stack, "gateway");
    const canceled = { kind: "extract", status: "canceled" };
    expect(value(after, "quire_jobs_ended_total", canceled) - value(before, "quire_jobs_ended_total", canceled)).toBe(1);
  });
});
