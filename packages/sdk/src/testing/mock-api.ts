/**
 * A local HTTP server on port 0 that answers from a script and records what the client sent
 * (svix tests with mockttp; connect-es with `useNodeServer`). Test-only: excluded from the build.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  /** `Date.now()` when the request arrived. */
  at: number;
}

export interface MockReply {
  status?: number;
  json?: unknown;
  text?: string;
  headers?: Record<string, string>;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Drop the connection without answering (a network error for the client). */
  destroy?: boolean;
}

export type Responder = MockReply | ((req: RecordedRequest) => MockReply);

export interface MockApi {
  url: string;
  requests: RecordedRequest[];
  /** Queues replies for `METHOD /path`; each request takes the next one, and the last one repeats. */
  on(method: string, path: string, ...replies: Responder[]): void;
  /** The recorded requests for one route. */
  seen(method: string, path: string): RecordedRequest[];
  close(): Promise<void>;
}

export async function startMockApi(): Promise<MockApi> {
  const routes = new Map<string, Responder[]>();
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    void record(req).then((r) => {
      requests.push(r);
      return answer(res, nextReply(routes, r));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    on: (method, path, ...replies) => void routes.set(`${method} ${path}`, replies),
    seen: (method, path) => requests.filter((r) => r.method === method && r.path === path),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function record(req: IncomingMessage): Promise<RecordedRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const url = new URL(req.url ?? "/", "http://localhost");
  return {
    method: req.method ?? "GET",
    path: url.pathname,
    query: url.searchParams,
    headers: req.headers,
    body: Buffer.concat(chunks).toString("utf8"),
    at: Date.now(),
  };
}

function nextReply(routes: Map<string, Responder[]>, r: RecordedRequest): MockReply {
  const queue = routes.get(`${r.method} ${r.path}`);
  const next = queue && queue.length > 1 ? queue.shift() : queue?.[0];
  if (!next) return { status: 404, json: { error: { code: "NOT_FOUND", message: `no mock for ${r.method} ${r.path}`, details: {} } } };
  return typeof next === "function" ? next(r) : next;
}

async function answer(res: ServerResponse, reply: MockReply): Promise<void> {
  if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
  if (reply.destroy) {
    res.socket?.destroy();
    return;
  }
  const body = reply.json !== undefined ? JSON.stringify(reply.json) : (reply.text ?? "");
  const type = reply.json !== undefined ? { "content-type": "application/json" } : {};
  res.writeHead(reply.status ?? 200, { ...type, ...reply.headers });
  res.end(body);
}

/** The text fields of a recorded multipart body, by name (the `file` part is left out). */
export async function formFields(req: RecordedRequest): Promise<Record<string, string>> {
  const type = req.headers["content-type"] ?? "";
  const form = await new Response(req.body, { headers: { "content-type": type } }).formData();
  const fields: Record<string, string> = {};
  for (const [name, value] of form) if (typeof value === "string") fields[name] = value;
  return fields;
}

/** The gateway's error envelope. */
export function apiError(status: number, code: string, message: string, details: Record<string, unknown> = {}): MockReply {
  return { status, json: { error: { code, message, details } } };
}
