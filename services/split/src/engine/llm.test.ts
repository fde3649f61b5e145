import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ErrorCode, isQuireError, type QuireError } from "@quire/runtime";
import { afterEach, describe, expect, it } from "vitest";
import { extractionFromPages } from "./fixtures.js";
import { splitWithLlm, type LlmSettings } from "./llm.js";
import type { SplitRequest } from "./types.js";

interface Seen {
  path: string;
  authorization: string | undefined;
  body: { model?: string; response_format?: unknown; messages?: Array<{ role: string; content: string }> };
}

type Handler = (seen: Seen, res: ServerResponse, hit: number) => void;

const servers: Array<{ close: () => Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A chat-completions endpoint on a real local port; `handle` answers each request. */
async function endpoint(handle: Handler): Promise<{ baseUrl: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const s: Seen = {
        path: req.url ?? "",
        authorization: req.headers.authorization,
        body: JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Seen["body"],
      };
      seen.push(s);
      handle(s, res, seen.length);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  servers.push({
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
  return { baseUrl: `http://127.0.0.1:${port}/v1`, seen };
}

/** A port nothing listens on: opened, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const chat = (res: ServerResponse, content: string, status = 200) => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(
    JSON.stringify({
      id: "c1",
      object: "chat.completion",
      choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
    }),
  );
};

const input = extractionFromPages([
  ["# INVOICE", "Invoice number: INV-1", "Total due 100.00"],
  ["Item list continued"],
  ["# Service agreement", "Terms and termination"],
  ["Governing law; signatures"],
]);
const req: SplitRequest = {
  sections: [
    { name: "invoice", description: "a bill with a total due", partition_key: "invoice number" },
    { name: "contract", description: "an agreement between parties" },
  ],
  rules: "Cover letters belong to the document after them.",
};
const settings = (baseUrl: string, over: Partial<LlmSettings> = {}): LlmSettings => ({
  baseUrl,
  model: "test-model",
  timeoutMs: 2_000,
  ...over,
});

async function failure(p: Promise<unknown>): Promise<QuireError> {
  try {
    await p;
  } catch (err) {
    if (isQuireError(err)) return err;
    throw err;
  }
  throw new Error("expected the call to fail");
}

describe("splitWithLlm", () => {
  it("asks for JSON with the sections and pages, and builds the outcome from a good answer", async () => {
    const { baseUrl, seen } = await endpoint((_s, res) =>
      chat(
        res,
        JSON.stringify({
          sections: [
            {
              name: "invoice",
              pages: [2, 1, 9],
              confidence: 0.9,
              reason: "invoice header and total due",
              partitions: [{ key: "INV-1", pages: [1, 2] }],
            },
            { name: "Contract", pages: [3, 4], confidence: 0.8, reason: "agreement clauses" },
            { name: "memo", pages: [4] },
          ],
        }),
      ),
    );
    const out = await splitWithLlm(input, req, settings(baseUrl));
    expect(seen).toHaveLength(1);
    expect(seen[0]!.path).toBe("/v1/chat/completions");
    expect(seen[0]!.body.model).toBe("test-model");
    expect(seen[0]!.body.response_format).toEqual({ type: "json_object" });
    const user = seen[0]!.body.messages?.find((m) => m.role === "user")?.content ?? "";
    expect(user).toContain("--- page 3 ---");
    expect(user).toContain("Service agreement");
    expect(user).toContain("invoice number");
    expect(user).toContain("Cover letters belong");
    expect(out.splits).toEqual([
      {
        name: "invoice",
        pages: [1, 2],
        page_ranges: "1-2",
        confidence: 0.9,
        reason: "llm: invoice header and total due",
        partitions: [{ key: "INV-1", pages: [1, 2], page_ranges: "1-2" }],
      },
      { name: "contract", pages: [3, 4], page_ranges: "3-4", confidence: 0.8, reason: "llm: agreement clauses" },
    ]);
    expect(out.unassigned_pages).toEqual([]);
  });

  it("drops pages two sections claim and leaves them unassigned", async () => {
    const { baseUrl } = await endpoint((_s, res) =>
      chat(
        res,
        "```json\n" +
          JSON.stringify({
            sections: [
              { name: "invoice", pages: [1, 2, 3] },
              { name: "contract", pages: [3, 4] },
            ],
          }) +
          "\n```",
      ),
    );
    const out = await splitWithLlm(input, req, settings(baseUrl));
    expect(out.splits[0]!.pages).toEqual([1, 2]);
    expect(out.splits[0]!.reason).toContain("pages 3 also claimed");
    expect(out.splits[0]!.partitions).toEqual([{ key: "", pages: [1, 2], page_ranges: "1-2" }]);
    expect(out.splits[1]!.pages).toEqual([4]);
    expect(out.unassigned_pages).toEqual([3]);
  });

  it("sends the api key as a bearer token and keeps it out of errors", async () => {
    const { baseUrl, seen } = await endpoint((s, res) => {
      res.writeHead(401, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: `bad key ${s.authorization ?? ""}` }));
    });
    const err = await failure(splitWithLlm(input, req, settings(baseUrl, { apiKey: "sk-secret-123" })));
    expect(seen[0]!.authorization).toBe("Bearer sk-secret-123");
    expect(err.code).toBe(ErrorCode.LlmUnavailable);
    expect(err.message).toContain("HTTP 401");
    expect(err.message).not.toContain("sk-secret-123");
    expect(JSON.stringify(err.details)).not.toContain("sk-secret-123");
  });

  it("sends no Authorization header without a key", async () => {
    const { baseUrl, seen } = await endpoint((_s, res) => chat(res, JSON.stringify({ sections: [] })));
    const out = await splitWithLlm(input, req, settings(baseUrl));
    expect(seen[0]!.authorization).toBeUndefined();
    expect(out.unassigned_pages).toEqual([1, 2, 3, 4]);
    expect(out.splits.every((s) => s.pages.length === 0 && s.confidence === 0)).toBe(true);
  });

  it("fails with LLM_INVALID_RESPONSE, not retryable, when the content is not the JSON asked for", async () => {
    const { baseUrl, seen } = await endpoint((_s, res) => chat(res, "Sure! Pages 1-2 are the invoice."));
    const err = await failure(splitWithLlm(input, req, settings(baseUrl)));
    expect(err.code).toBe(ErrorCode.LlmInvalidResponse);
    expect(err.retryable).toBe(false);
    expect(seen).toHaveLength(1);
  });

  it("fails with LLM_INVALID_RESPONSE when the JSON has the wrong shape or the body is not chat-completions", async () => {
    const wrongShape = await endpoint((_s, res) => chat(res, JSON.stringify({ sections: [{ name: "invoice", pages: "1-2" }] })));
    expect((await failure(splitWithLlm(input, req, settings(wrongShape.baseUrl)))).code).toBe(ErrorCode.LlmInvalidResponse);
    const notChat = await endpoint((_s, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html>hello</html>");
    });
    expect((await failure(splitWithLlm(input, req, settings(notChat.baseUrl)))).code).toBe(ErrorCode.LlmInvalidResponse);
  });

  it("fails with LLM_UNAVAILABLE, not retryable, when nothing listens on the port", async () => {
    const port = await closedPort();
    const err = await failure(splitWithLlm(input, req, settings(`http://127.0.0.1:${port}/v1`)));
    expect(err.code).toBe(ErrorCode.LlmUnavailable);
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(/could not be reached/u);
  });

  it("retries once on a non-2xx answer, then fails with LLM_UNAVAILABLE", async () => {
    const { baseUrl, seen } = await endpoint((_s, res) => {
      res.writeHead(503);
      res.end("overloaded");
    });
    const err = await failure(splitWithLlm(input, req, settings(baseUrl)));
    expect(seen).toHaveLength(2);
    expect(err.code).toBe(ErrorCode.LlmUnavailable);
    expect(err.message).toContain("HTTP 503");
  });

  it("succeeds when the retry succeeds", async () => {
    const { baseUrl, seen } = await endpoint((_s, res, hit) => {
      if (hit === 1) {
        res.writeHead(502);
        res.end();
        return;
      }
      chat(res, JSON.stringify({ sections: [{ name: "contract", pages: [3, 4] }] }));
    });
    const out = await splitWithLlm(input, req, settings(baseUrl));
    expect(seen).toHaveLength(2);
    expect(out.splits[1]!.pages).toEqual([3, 4]);
  });

  it("fails with LLM_UNAVAILABLE when the endpoint does not answer in time", async () => {
    const { baseUrl, seen } = await endpoint(() => {
      /* never answers */
    });
    const started = Date.now();
    const err = await failure(splitWithLlm(input, req, settings(baseUrl, { timeoutMs: 200 })));
    expect(err.code).toBe(ErrorCode.LlmUnavailable);
    expect(err.retryable).toBe(false);
    expect(err.message).toContain("within 200 ms");
    expect(seen).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("stops at once, without retrying, when the caller aborts", async () => {
    const { baseUrl, seen } = await endpoint(() => {
      /* never answers */
    });
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(new Error("job canceled")), 100);
    await expect(splitWithLlm(input, req, settings(baseUrl, { timeoutMs: 10_000 }), ctl.signal)).rejects.toThrow("job canceled");
    expect(seen).toHaveLength(1);
  });
});
