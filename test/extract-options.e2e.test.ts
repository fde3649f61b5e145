/**
 * The extract options of issue 4 through the whole stack: `tables` and `chunking` accepted by
 * the gateway (JSON and multipart), carried in StageJob.extract, applied by extract.
 */
import { PDFDocument, StandardFonts } from "pdf-lib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formWith, makePdf } from "./fixtures.js";
import { startStack, type Stack } from "./harness.js";

type Json = Record<string, any>;

/** One page with a ruled 2 × 3 table (columns at 100/200/300 pt, rows 20 pt apart). */
async function tablePdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([612, 792]);
  const top = (y: number) => 792 - y;
  for (const y of [100, 120, 140, 160]) page.drawLine({ start: { x: 100, y: top(y) }, end: { x: 300, y: top(y) }, thickness: 0.5 });
  for (const x of [100, 200, 300]) page.drawLine({ start: { x, y: top(100) }, end: { x, y: top(160) }, thickness: 0.5 });
  [
    ["Year", "Ducks"],
    ["2019", "120"],
    ["2020", "135"],
  ].forEach((row, r) => row.forEach((cell, c) => page.drawText(cell, { x: 110 + c * 100, y: top(114 + r * 20), size: 10, font })));
  return doc.save();
}

describe("extract options over REST (real nats-server, every service a process)", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("returns structured tables, and HTML tables in the markdown with tables: html (multipart)", async () => {
    const res = await stack.api("/v1/extract", { method: "POST", body: formWith(await tablePdf(), { tables: "html" }) });
    expect(res.status).toBe(200);
    const result = ((await res.json()) as Json).result;
    expect(result.tables).toHaveLength(1);
    expect(result.tables[0].rows.map((r: Json[]) => r.map((c) => c.text))).toEqual([
      ["Year", "Ducks"],
      ["2019", "120"],
      ["2020", "135"],
    ]);
    expect(result.markdown).toContain("<table>\n<tr><th>Year</th><th>Ducks</th></tr>");
  });

  it("cuts chunks by section with chunking in a multipart JSON field, and rejects an unknown strategy", async () => {
    const form = formWith(await makePdf(3), { chunking: '{"strategy":"section","max_chars":1000}' });
    const res = await stack.api("/v1/extract", { method: "POST", body: form });
    expect(res.status).toBe(200);
    const chunks = ((await res.json()) as Json).result.chunks as Json[];
    expect(chunks.map((c) => c.headings.at(-1))).toEqual(["Introduction", "Methods", "Results"]);
    expect(chunks.every((c) => c.pages.length === 1 && c.block_ids.length > 0)).toBe(true);
    const bad = await stack.api("/v1/extract", { method: "POST", body: formWith(await makePdf(1), { chunking: '{"strategy":"words"}' }) });
    expect(bad.status).toBe(400);
  });
});
