import { randomBytes } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import { waitFor } from "@quire/runtime/testing";
import { formWith, makePdf } from "./fixtures.js";
import { waitForJobEnd, type Stack, type TENANTS } from "./harness.js";

type Json = Record<string, any>;
type Tenant = keyof typeof TENANTS;

/** One request the receiver got. */
export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
  /** The notifier's attempt number (quire-webhook-attempt header). */
  attempt: number;
  /** JSON-parsed body. */
  json: Record<string, any>;
}

/** What to answer: a status code, or "hang" to hold the request open until the receiver closes. */
export type Reply = number | "hang";

export interface Receiver {
  /** Base URL, e.g. http://127.0.0.1:41234 (give each test its own path). */
  url: string;
  /** Decides the answer for requests to `path`; `n` is 1 for the first request to it. Default 200. */
  on(path: string, reply: (n: number, req: Received) => Reply): void;
  received(path: string): Received[];
  close(): Promise<void>;
}

/** A real HTTP server on port 0 that records every webhook it gets, like a user's receiver. */
export async function startReceiver(host = "127.0.0.1"): Promise<Receiver> {
  const handlers = new Map<string, (n: number, req: Received) => Reply>();
  const log = new Map<string, Received[]>();
  const hanging = new Set<ServerResponse>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = (req.url ?? "/").split("?")[0] ?? "/";
      const body = Buffer.concat(chunks).toString("utf8");
      let json: Record<string, any> = {};
      try {
        json = JSON.parse(body) as Record<string, any>;
      } catch {
        // kept as text only
      }
      const received: Received = {
        path,
        headers: req.headers,
        body,
        at: Date.now(),
        attempt: Number(req.headers["quire-webhook-attempt"] ?? 0),
        json,
      };
      const list = log.get(path) ?? [];
      list.push(received);
      log.set(path, list);
      const reply = handlers.get(path)?.(list.length, received) ?? 200;
      if (reply === "hang") hanging.add(res);
      else res.writeHead(reply, { "content-type": "text/plain" }).end(`status ${reply}`);
    });
  });
  await new Promise<void>((r) => server.listen(0, host, r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://${host}:${port}`,
    on: (path, reply) => void handlers.set(path, reply),
    received: (path) => log.get(path) ?? [],
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** A fresh Standard Webhooks secret, as a user would make one. */
export const newSecret = (): string => `whsec_${randomBytes(32).toString("base64")}`;

/** Submits an async extract of a generated PDF with extra form fields; returns the job id. */
export async function submit(
  stack: Stack,
  fields: Record<string, string>,
  opts: { pages?: number; tenant?: Tenant } = {},
): Promise<string> {
  // Each submission its own document (a trailing PDF comment): pdf-lib's dates have one-second
  // resolution, so two documents made in the same second are the same bytes, and the second
  // job would be answered from the parse cache, with no per-page progress.
  const pdf = Buffer.concat([await makePdf(opts.pages ?? 1), Buffer.from(`\n%${randomBytes(8).toString("hex")}\n`)]);
  const body = formWith(new Uint8Array(pdf), { async: "true", ...fields });
  const res = await stack.api("/v1/extract", { method: "POST", body, tenant: opts.tenant ?? "acme" });
  if (res.status !== 202) throw new Error(`submit answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as Json).job_id as string;
}

/** GET /v1/webhooks/deliveries?<query> as `tenant`. */
export async function deliveriesOf(stack: Stack, query: string, tenant: Tenant = "acme"): Promise<Json[]> {
  const res = await stack.api(`/v1/webhooks/deliveries?${query}`, { tenant });
  if (res.status !== 200) throw new Error(`deliveries answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as Json).deliveries as Json[];
}

/** Waits until the job's delivery log has an entry matching `ok`, and returns it. */
export function waitForDelivery(stack: Stack, query: string, ok: (d: Json) => boolean, timeoutMs = 45_000): Promise<Json> {
  return waitFor(`a delivery for ${query}`, async () => (await deliveriesOf(stack, query)).find(ok), { timeoutMs, intervalMs: 100 });
}

/** JSON request helper for /v1/webhooks. */
export async function call(
  stack: Stack,
  method: string,
  path: string,
  body?: unknown,
  tenant: Tenant = "acme",
): Promise<{ status: number; json: Json }> {
  const init: RequestInit = { method, headers: { "content-type": "application/json" } };
  if (body !== undefined) init.body = JSON.stringify(body);
  const res = await stack.api(path, { ...init, tenant });
  return { status: res.status, json: (await res.json()) as Json };
}

/** Polls GET /v1/jobs/{id} as `tenant` until the job ends (the harness's helper, for another tenant). */
export const waitForEnd = (stack: Stack, jobId: string, tenant: Tenant = "acme"): Promise<Json> =>
  waitForJobEnd(stack, jobId, undefined, tenant);
