import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { isQuireError } from "@quire/runtime";
import { makeExtraction, row } from "./fixtures.js";
import { fillWithLlm } from "./llm.js";
import type { LlmConfig } from "./llm-client.js";
import { checkInputSchema } from "@quire/json-schema";

type Handler = (body: Record<string, unknown>, req: IncomingMessage, res: ServerResponse) => void;

const API_KEY = "sk-test-secret-123";
const extraction = makeExtraction([
  {
    blocks: [
      ["Invoice No: INV-2024-0117", 0.6, 0.1, 0.92, 0.115],
      ["Invoice Date: 15/03/2024", 0.6, 0.12, 0.92, 0.135],
    ],
    tables: [
      {
        rows: [
          row(0.3, [
            ["Description", 0.08, 0.45],
            ["Qty", 0.45, 0.55],
            ["Amount", 0.72, 0.92],
          ]),
          row(0.32, [
            ["Hex nuts M8", 0.08, 0.45],
            ["100", 0.45, 0.55],
            ["£ 10.00", 0.72, 0.92],
          ]),
        ],
      },
      {
        rows: [
          row(0.54, [
            ["Total", 0.55, 0.72],
            ["£ 3,042.00", 0.72, 0.92],
          ]),
        ],
      },
    ],
  },
]);
const checked = checkInputSchema({
  type: "object",
  properties: {
    invoice_number: { type: ["string", "null"] },
    invoice_date: { type: ["string", "null"], format: "date" },
    total: { type: ["number", "null"] },
    po_number: { type: ["string", "null"] },
    line_items: {
      type: "array",
      items: {
        type: "object",
        properties: {
          description: { type: ["string", "null"] },
          quantity: { type: ["number", "null"] },
          amount: { type: ["number", "null"] },
        },
      },
    },
  },
});

let server: Server;
let handler: Handler;
let requests: Array<{ body: Record<string, unknown>; auth: string | undefined }>;
let llm: LlmConfig;

const answer =
  (content: string): Handler =>
  (_body, _req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        id: "cmpl-1",
        object: "chat.completion",
        choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
      }),
    );
  };

async function failure(
  promise: Promise<unknown>,
): Promise<{ code: string; message: string; retryable: boolean; details: Record<string, unknown> }> {
  try {
    await promise;
  } catch (err) {
    if (isQuireError(err)) return { code: err.code, message: err.message, retryable: err.retryable, details: err.details };
    throw err;
  }
  throw new Error("the call succeeded");
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let data = "";
    req
      .setEncoding("utf8")
      .on("data", (d: string) => (data += d))
      .on("end", () => {
        const body = JSON.parse(data) as Record<string, unknown>;
        requests.push({ body, auth: req.headers.authorization });
        handler(body, req, res);
      });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  llm = {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    model: "test-model",
    apiKey: API_KEY,
    timeoutMs: 2_000,
  };
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  requests = [];
});

describe("fillWithLlm", () => {
  it("sends the document with a JSON-schema response format and recovers a citation for every answered value", async () => {
    handler = answer(
      JSON.stringify({
        invoice_number: "INV-2024-0117",
        invoice_date: "2024-03-15",
        total: 3042,
        po_number: null,
        line_items: [{ description: "Hex nuts M8", quantity: 100, amount: 10 }],
      }),
    );
    const outcome = await fillWithLlm(extraction, checked, "Amounts in pounds.", llm);
    expect(outcome.schema_output).toEqual({
      invoice_number: "INV-2024-0117",
      invoice_date: "2024-03-15",
      total: 3042,
      po_number: null,
      line_items: [{ description: "Hex nuts M8", quantity: 100, amount: 10 }],
    });
    expect(outcome.dropped).toEqual([]);
    expect(outcome.validation.valid).toBe(true);
    expect(outcome.citations["/invoice_number"]?.[0]).toMatchObject({ page: 1, block_id: "p1-b1", text: "Invoice No: INV-2024-0117" });
    expect(outcome.citations["/invoice_date"]?.[0]?.text).toContain("15/03/2024");
    expect(outcome.citations["/total"]?.[0]?.text).toBe("£ 3,042.00");
    expect(outcome.citations["/line_items/0/amount"]?.[0]?.text).toBe("£ 10.00");

    const [request] = requests;
    expect(request?.auth).toBe(`Bearer ${API_KEY}`);
    expect(request?.body).toMatchObject({
      model: "test-model",
      response_format: { type: "json_schema", json_schema: { name: "schema_output", strict: false } },
    });
    const format = request!.body.response_format as { json_schema: { schema: { properties: Record<string, unknown> } } };
    expect(Object.keys(format.json_schema.schema.properties)).toContain("invoice_number");
    const user = (request!.body.messages as Array<{ role: string; content: string }>).find((m) => m.role === "user")?.content ?? "";
    expect(user).toContain("INV-2024-0117");
    expect(user).toContain("Amounts in pounds.");
  });

  it("drops to null, and lists, a value the document does not hold", async () => {
    handler = answer(
      JSON.stringify({
        invoice_number: "INV-2024-9999",
        invoice_date: "2024-03-15",
        total: 3042.5,
        po_number: "PO-778",
        line_items: [
          { description: "Hex nuts M8", quantity: 100, amount: 10 },
          { description: "Gold screws", quantity: 7, amount: 999 },
        ],
      }),
    );
    const outcome = await fillWithLlm(extraction, checked, undefined, llm);
    expect(outcome.schema_output).toMatchObject({ invoice_number: null, invoice_date: "2024-03-15", total: null, po_number: null });
    expect(outcome.schema_output.line_items).toEqual([{ description: "Hex nuts M8", quantity: 100, amount: 10 }]);
    expect(outcome.dropped).toEqual([
      "/invoice_number",
      "/total",
      "/po_number",
      "/line_items/1/description",
      "/line_items/1/quantity",
      "/line_items/1/amount",
    ]);
    expect(outcome.citations["/invoice_number"]).toBeUndefined();
  });

  it("accepts an answer wrapped in a code fence", async () => {
    handler = answer('```json\n{"invoice_number": "INV-2024-0117"}\n```');
    expect((await fillWithLlm(extraction, checked, undefined, llm)).schema_output.invoice_number).toBe("INV-2024-0117");
  });

  it("fails with LLM_INVALID_RESPONSE when the answer is not JSON", async () => {
    handler = answer("Sure! The invoice number is INV-2024-0117.");
    expect(await failure(fillWithLlm(extraction, checked, undefined, llm))).toMatchObject({
      code: "LLM_INVALID_RESPONSE",
      retryable: false,
    });
  });

  it("retries a non-2xx answer once", async () => {
    let calls = 0;
    handler = (body, req, res) => {
      if (++calls === 1) {
        res.writeHead(503).end("busy");
        return;
      }
      answer(JSON.stringify({ total: 3042 }))(body, req, res);
    };
    expect((await fillWithLlm(extraction, checked, undefined, llm)).schema_output.total).toBe(3042);
    expect(requests).toHaveLength(2);
  });

  it("fails with LLM_UNAVAILABLE after the retry, without the key in the error", async () => {
    handler = (_b, _r, res) => {
      res.writeHead(500).end(`bad key ${API_KEY}`);
    };
    const err = await failure(fillWithLlm(extraction, checked, undefined, llm));
    expect(err).toMatchObject({ code: "LLM_UNAVAILABLE", retryable: false, details: { status: 500 } });
    expect(JSON.stringify(err)).not.toContain(API_KEY);
    expect(requests).toHaveLength(2);
  });

  it("fails with LLM_UNAVAILABLE when the endpoint does not answer in time", async () => {
    handler = () => {};
    const err = await failure(fillWithLlm(extraction, checked, undefined, { ...llm, timeoutMs: 200 }));
    expect(err).toMatchObject({ code: "LLM_UNAVAILABLE", retryable: false });
    expect(err.message).toContain("200 ms");
    expect(requests).toHaveLength(2);
  });

  it("fails with LLM_UNAVAILABLE when nothing listens on the port", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const err = await failure(fillWithLlm(extraction, checked, undefined, { ...llm, baseUrl: `http://127.0.0.1:${port}/v1` }));
    expect(err).toMatchObject({ code: "LLM_UNAVAILABLE", retryable: false });
    expect(err.message).not.toContain(API_KEY);
  });
});
