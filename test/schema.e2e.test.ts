import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readJobEvents } from "./events.js";
import { contractDoc, formWith, INVOICE, makeBundle, makeInvoicePdf, statementDoc } from "./fixtures.js";
import { startStack, waitForJobEnd, type Stack } from "./harness.js";

type Json = Record<string, any>;

const INVOICE_SCHEMA = {
  type: "object",
  properties: {
    invoice_number: { type: "string" },
    date: { type: "string", format: "date", description: "the invoice date" },
    total: { type: "number", description: "total due" },
    purchase_order_number: { type: ["string", "null"] },
    line_items: {
      type: "array",
      items: { type: "object", properties: { description: { type: "string" }, quantity: { type: "number" }, amount: { type: "number" } } },
    },
  },
  required: ["invoice_number", "total"],
};

describe("schema over REST, end to end (real nats-server, every service a process)", () => {
  let stack: Stack;
  let invoice: Uint8Array;
  beforeAll(async () => {
    stack = await startStack();
    invoice = await makeInvoicePdf();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const postJson = (body: Json, tenant: "acme" | "globex" = "acme") =>
    stack.api("/v1/schema", { method: "POST", tenant, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

  it("fills an invoice schema (sync) through parse → extract → schema, every value cited, absent ones null", async () => {
    const res = await stack.api("/v1/schema", {
      method: "POST",
      body: formWith(invoice, { schema_config: JSON.stringify({ input_schema: INVOICE_SCHEMA }) }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Json;
    const result = body.result as Json;
    expect(result.schema_id).toMatch(/^sch_[0-9a-f]{32}$/);
    expect(result.schema_output).toEqual({
      invoice_number: INVOICE.number,
      date: INVOICE.date,
      total: INVOICE.total,
      purchase_order_number: null,
      line_items: INVOICE.items.map((i) => ({ description: i.description, quantity: i.qty, amount: i.amount })),
    });
    expect(result.validation).toEqual({ valid: true, errors: [] });
    // Every filled value is cited with text that holds it; the missing one has no citation.
    expect(result.citations["/invoice_number"][0]).toMatchObject({ page: 1, text: expect.stringContaining(INVOICE.number) });
    expect(result.citations["/total"][0].text).toContain("2,976.60");
    expect(result.citations["/purchase_order_number"]).toBeUndefined();
    for (const [pointer, cites] of Object.entries(result.citations as Record<string, Json[]>)) {
      expect(cites.length, pointer).toBeGreaterThan(0);
      expect(cites[0]!.bbox).toHaveLength(4);
      expect(result.confidence[pointer]).toBeGreaterThan(0);
    }
    expect(result.usage).toMatchObject({ engine: "deterministic", pages: 1, fields_filled: Object.keys(result.citations).length });

    const job = await waitForJobEnd(stack, body.job_id);
    expect(job).toMatchObject({ kind: "schema", status: "completed", progress: { pct: 100 } });
    const events = await readJobEvents(stack.nats.url, body.job_id);
    expect(events.filter((e) => e.type === "started").map((e) => e.stage)).toEqual(["parse", "extract", "schema"]);
  });

  it("fills a schema from a stored extraction_id, running the schema stage alone", async () => {
    const extracted = (await (await stack.api("/v1/extract", { method: "POST", body: formWith(invoice) })).json()) as Json;
    const res = await postJson({
      extraction_id: extracted.result.extraction_id,
      schema_config: { input_schema: INVOICE_SCHEMA },
      async: true,
    });
    expect(res.status).toBe(202);
    const { job_id } = (await res.json()) as Json;
    const job = await waitForJobEnd(stack, job_id);
    expect(job.status).toBe("completed");
    expect(job.result.schema_output.invoice_number).toBe(INVOICE.number);
    expect(job.result.extraction_id).toBe(extracted.result.extraction_id);
    const events = await readJobEvents(stack.nats.url, job_id);
    expect([...new Set(events.map((e) => e.stage).filter(Boolean))]).toEqual(["schema"]);
  });

  it("refuses an invalid schema with 400 INVALID_SCHEMA naming the JSON pointer, and a schema over the limit", async () => {
    const bad = await postJson({
      file_id: `file_${"0".repeat(64)}`,
      schema_config: { input_schema: { type: "object", properties: { total: { type: "money" } } } },
    });
    expect(bad.status).toBe(400);
    const err = ((await bad.json()) as Json).error;
    expect(err.code).toBe("INVALID_SCHEMA");
    expect(err.details.pointer).toBe("/properties/total/type");

    const huge = {
      type: "object",
      properties: Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`field_${i}`, { type: "string" }])),
    };
    const tooBig = await postJson({ file_id: `file_${"0".repeat(64)}`, schema_config: { input_schema: huge } });
    expect(tooBig.status).toBe(400);
    expect(((await tooBig.json()) as Json).error.code).toBe("INVALID_SCHEMA");

    const missing = await stack.api("/v1/schema", { method: "POST", body: formWith(invoice) });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as Json).error.message).toMatch(/^schema_config/);
  });

  it("answers 404 for an unknown or another tenant's extraction_id", async () => {
    const unknown = await postJson({ extraction_id: `ext_${"0".repeat(32)}`, schema_config: { input_schema: INVOICE_SCHEMA } });
    expect(unknown.status).toBe(404);
    const mine = (await (await stack.api("/v1/extract", { method: "POST", body: formWith(invoice) })).json()) as Json;
    const foreign = await postJson({ extraction_id: mine.result.extraction_id, schema_config: { input_schema: INVOICE_SCHEMA } }, "globex");
    expect(foreign.status).toBe(404);
  });

  it("ends a canceled schema job canceled, once", async () => {
    const big = await makeBundle(Array.from({ length: 12 }, (_, i) => (i % 2 ? contractDoc(3) : statementDoc(3))));
    const res = await stack.api("/v1/schema", {
      method: "POST",
      body: formWith(big, { schema_config: JSON.stringify({ input_schema: INVOICE_SCHEMA }), async: "true" }),
    });
    const { job_id } = (await res.json()) as Json;
    expect((await stack.api(`/v1/jobs/${job_id}`, { method: "DELETE" })).status).toBe(200);
    const job = await waitForJobEnd(stack, job_id);
    expect(job.status).toBe("canceled");
    const events = await readJobEvents(stack.nats.url, job_id);
    expect(events.filter((e) => ["completed", "failed", "canceled"].includes(e.type))).toHaveLength(1);
  });
});
