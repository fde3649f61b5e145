import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formWith } from "./fixtures.js";
import { startStack, waitForJobEnd, type Stack } from "./harness.js";
// The OCR tests draw their scans with the parse package's canvas and sharp; reuse that here.
import { makeScannedPdf, renderMultiPageTiff, renderScan } from "../services/parse/src/test-helpers/scans.js";
import { readJobEvents } from "./events.js";

type Json = Record<string, any>;

describe("OCR over REST, end to end (real nats-server, every service a process)", () => {
  let stack: Stack;
  let scan: Buffer;
  beforeAll(async () => {
    [stack, scan] = await Promise.all([startStack({ QUIRE_OCR_WORKERS: "2" }), renderScan()]);
  });
  afterAll(() => stack?.stop());

  const extract = (file: Uint8Array, fields: Record<string, string> = {}, name = "scan.png") =>
    stack.api("/v1/extract", { method: "POST", body: formWith(file, fields, name) });

  it("extracts an image: blocks with OCR confidence, the page marked as OCR and why", async () => {
    const res = await extract(scan);
    const body = (await res.json()) as Json;
    expect(res.status).toBe(200);
    expect(body.result.markdown).toContain("The quick brown fox jumps over the lazy dog.");
    const page = body.result.pages[0];
    expect(page).toMatchObject({ page_number: 1, ocr: true, ocr_reason: "image_input" });
    const block = page.blocks.find((b: Json) => /Northwind/.test(b.text));
    expect(block.confidence).toBeGreaterThan(0.8);
    expect(block.confidence).toBeLessThanOrEqual(1);
    for (const v of block.bbox) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
    // Recognition is where an image's time goes, and usage says so.
    const parse = body.result.usage.timings.stages.parse;
    expect(parse.ocr_ms).toBeGreaterThan(10);
    expect(parse.run_ms).toBeGreaterThanOrEqual(parse.ocr_ms - 1);
  });

  it("reads a scanned PDF in auto mode, leaves it unread with ocr=never", async () => {
    const pdf = await makeScannedPdf([scan]);
    const auto = (await (await extract(pdf, {}, "scan.pdf")).json()) as Json;
    expect(auto.result.pages[0]).toMatchObject({ ocr: true, ocr_reason: "no_text_layer" });
    expect(auto.result.markdown).toContain("Invoice 4711 from Northwind Traders");
    const never = (await (await extract(pdf, { ocr: "never" }, "scan.pdf")).json()) as Json;
    expect(never.result.pages[0]).toMatchObject({ ocr: false, ocr_reason: "ocr_never", blocks: [] });
  });

  it("runs a multi-page TIFF async with per-page progress, pages in order", async () => {
    const tiff = await renderMultiPageTiff([["First page of the fax"], ["Second page of the fax"]]);
    const res = await extract(tiff, { async: "true" }, "fax.tif");
    expect(res.status).toBe(202);
    const { job_id } = (await res.json()) as Json;
    const job = (await waitForJobEnd(stack, job_id)) as Json;
    expect(job.status).toBe("completed");
    expect(job.result.pages.map((p: Json) => p.blocks.map((b: Json) => b.text).join(" "))).toEqual([
      "First page of the fax",
      "Second page of the fax",
    ]);
    const events = await readJobEvents(stack.nats.url, job_id);
    expect(events.filter((e) => e.type === "progress").map((e) => e.progress?.message)).toEqual(
      expect.arrayContaining(["page 1/2", "page 2/2"]),
    );
  });

  it("answers 422 LANGUAGE_NOT_INSTALLED, listing the installed languages, before creating a job", async () => {
    const res = await extract(scan, { languages: "eng,klingon" });
    expect(res.status).toBe(422);
    const { error } = (await res.json()) as Json;
    expect(error.code).toBe("LANGUAGE_NOT_INSTALLED");
    expect(error.details.installed).toEqual(["eng", "deu", "fra", "spa", "ita", "nld", "por"]);
    expect(error.message).toMatch(/klingon/);
  });

  it("fails a corrupt image with INVALID_IMAGE, and the parse service keeps serving", async () => {
    const corrupt = Buffer.concat([scan.subarray(0, 64), Buffer.alloc(4_096, 7)]);
    const res = await extract(corrupt, {}, "broken.png");
    expect(res.status).toBe(422);
    expect(((await res.json()) as Json).error.code).toBe("INVALID_IMAGE");
    const again = await extract(scan);
    expect(again.status).toBe(200);
    expect(stack.logs("parse").some((l) => /"msg":"startup failed"|uncaught/i.test(l))).toBe(false);
  });
});
