// OCR through real tesseract.js worker processes (run `npx tsc -b` first: the pool forks
// dist/ocr/ocr-child.js and parsePdf dist/pdf/pdf-child.js). Fixtures are drawn by the tests
// themselves (test-helpers/scans.ts), small, so the whole file takes seconds on 2 cores.
import { fromBinary } from "@bufbuild/protobuf";
import { JobKind, OCR_LANGUAGES, ParsedDocumentSchema, type ParsedDocument } from "@quire/contracts";
import { isQuireError, type QuireError } from "@quire/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseImage } from "./image-document.js";
import { createOcrPool, type OcrPool } from "./ocr-pool.js";
import { PARSE_DEFAULTS, parsePdf } from "../pdf/pdf-parser.js";
import { createParseHandler } from "../service.js";
import { makeTwoPagePdf } from "../test-helpers/pdfs.js";
import { makeHugeMaskPdf, makeScannedPdf, renderMultiPageTiff, renderScan } from "../test-helpers/scans.js";
import { memoryBlobs, parseJob, recordingContext } from "../test-helpers/stage.js";

const POOL = {
  workers: 2,
  recyclePages: 100,
  maxRssMb: 2_048,
  pageTimeoutMs: 60_000,
  tessdataDir: "",
  orientation: true,
  maxPixels: 36_000_000,
};
const text = (doc: ParsedDocument, page = 0) => doc.pages[page]?.items.map((i) => i.text).join("\n") ?? "";
const image = (bytes: Uint8Array, pool: OcrPool, extra: Partial<Parameters<typeof parseImage>[1]> = {}) =>
  parseImage(bytes, { pool, languages: ["eng"], maxPages: 100, ...extra });
const pdfOcr = (pool: OcrPool, mode: "auto" | "always" | "never") => ({
  ocr: { pool, mode, languages: ["eng"], dpi: 200, maxPixels: POOL.maxPixels, maxAhead: 2 },
});

async function failure(p: Promise<unknown>): Promise<QuireError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isQuireError(err)) throw new Error(`expected a QuireError, got ${String(err)}`);
  return err;
}

let pool: OcrPool;
let scan: Buffer;
beforeAll(async () => {
  pool = createOcrPool(POOL);
  [scan] = await Promise.all([renderScan(), pool.warm()]);
});
afterAll(async () => pool?.close());

describe("OCR of images", () => {
  it("reads an image into line items with confidences, in points from the stated resolution", async () => {
    const doc = await image(scan, pool);
    expect(doc.pageCount).toBe(1);
    const [page] = doc.pages;
    expect(page).toMatchObject({ pageNumber: 1, ocr: true, ocrReason: "image_input", ocrRotation: 0, width: 504 });
    expect(text(doc)).toContain("The quick brown fox jumps over the lazy dog.");
    expect(text(doc)).toContain("Invoice 4711 from Northwind Traders");
    expect(page!.ocrConfidence).toBeGreaterThan(0.8);
    const first = page!.items[0]!;
    expect(first.confidence).toBeGreaterThan(0.8);
    expect(first.x).toBeGreaterThan(5); // 12 pt text drawn one em from the left edge
    expect(first.x).toBeLessThan(20);
    expect(first.fontSize).toBeGreaterThan(7);
    expect(first.fontSize).toBeLessThan(16);
    const webp = await image(await renderScan({ format: "webp", lines: ["WebP pages are read too"] }), pool);
    expect(text(webp)).toBe("WebP pages are read too");
  });

  it("turns sideways and upside-down scans upright before reading them", async () => {
    const [sideways, upsideDown] = await Promise.all([
      image(await renderScan({ rotate: 90 }), pool),
      image(await renderScan({ rotate: 180, format: "jpeg" }), pool),
    ]);
    expect(sideways.pages[0]).toMatchObject({ ocrRotation: 270, width: 504 });
    expect(upsideDown.pages[0]).toMatchObject({ ocrRotation: 180, width: 504 });
    for (const doc of [sideways, upsideDown]) expect(text(doc)).toContain("The quick brown fox jumps over the lazy dog.");
  });

  it("reads each page of a multi-page TIFF as a page, honouring a page selection", async () => {
    const tiff = await renderMultiPageTiff([["Page one says hello"], ["Page two says goodbye"], ["Page three is last"]]);
    const doc = await image(tiff, pool);
    expect(doc.pageCount).toBe(3);
    expect(doc.pages.map((_, i) => text(doc, i))).toEqual(["Page one says hello", "Page two says goodbye", "Page three is last"]);
    const some = await image(tiff, pool, { pages: "3,1" });
    expect(some.pages.map((p) => p.pageNumber)).toEqual([1, 3]);
  });

  it("fails a corrupt image with INVALID_IMAGE, and the pool goes on working", async () => {
    const corrupt = Buffer.concat([scan.subarray(0, 64), Buffer.alloc(512, 7)]);
    const err = await failure(image(corrupt, pool));
    expect(err).toMatchObject({ code: "INVALID_IMAGE", retryable: false });
    expect(text(await image(scan, pool))).toContain("Northwind");
  });

  it("reads German with the German model", async () => {
    const german = await renderScan({ lines: ["Die Größe der Straße ist übermäßig.", "Grüße aus München und Köln."] });
    expect(text(await image(german, pool, { languages: ["deu"] }))).toContain("Straße");
  });
});

describe("OCR of PDF pages", () => {
  it("auto: OCRs a scan without a text layer, and says why", async () => {
    const doc = await parsePdf(await makeScannedPdf([scan]), pdfOcr(pool, "auto"));
    expect(doc.pages[0]).toMatchObject({ ocr: true, ocrReason: "no_text_layer", width: 612 });
    expect(text(doc)).toContain("The quick brown fox jumps over the lazy dog.");
  });

  it("auto: OCRs a page that is mostly image with a few words of text", async () => {
    const doc = await parsePdf(await makeScannedPdf([scan], { textLayer: "Scanned by ACME" }), pdfOcr(pool, "auto"));
    expect(doc.pages[0]).toMatchObject({ ocr: true, ocrReason: "sparse_text_on_image" });
    expect(text(doc)).toContain("Payment is due within thirty days of receipt.");
  });

  it("auto: replaces a junk text layer, keeps a good one", async () => {
    const junk = "HoMep KoppeKn1pOBKH CyMMa PaJ,Qen V1HH ynnal.IVIBaeMoMy Hanoroo6nO>KeHVIS'I AeKnapai CBS'I3VI npVIMeHeHVIeM";
    const doc = await parsePdf(await makeScannedPdf([scan], { textLayer: junk }), pdfOcr(pool, "auto"));
    expect(doc.pages[0]).toMatchObject({ ocr: true, ocrReason: "junk_text_layer" });
    expect(text(doc)).toContain("Northwind");
    const good = await parsePdf(await makeTwoPagePdf(), pdfOcr(pool, "auto"));
    expect(good.pages.map((p) => [p.ocr, p.ocrReason])).toEqual([
      [false, "text_layer"],
      [false, "text_layer"],
    ]);
  });

  it("never: a scan stays unread; always: even a good text layer is OCRed", async () => {
    const never = await parsePdf(await makeScannedPdf([scan]), pdfOcr(pool, "never"));
    expect(never.pages[0]).toMatchObject({ ocr: false, ocrReason: "ocr_never", items: [] });
    const always = await parsePdf(await makeTwoPagePdf(), pdfOcr(pool, "always"));
    expect(always.pages.map((p) => [p.ocr, p.ocrReason])).toEqual([
      [true, "ocr_always"],
      [true, "ocr_always"],
    ]);
    expect(text(always)).toContain("Quarterly Report");
  });

  it("renders a page with a 100-megapixel image at the page raster's size: its words read, the child stays small", async () => {
    // Painted whole, the mask is 400 MB of RGBA per scratch canvas: the child peaked at 959 MB
    // before images were shrunk on arrival (image-downscale.ts), 215 MB after.
    let peakRssMb = 0;
    const doc = await parsePdf(await makeHugeMaskPdf(), { ...pdfOcr(pool, "auto"), onFinish: (s) => (peakRssMb = s.peakRssMb) });
    expect(doc.pages[0]).toMatchObject({ ocr: true, ocrReason: "no_text_layer" });
    expect(text(doc)).toContain("The quick brown fox jumps over the lazy dog.");
    expect(text(doc)).toContain("Invoice 4711 from Northwind Traders");
    expect(peakRssMb).toBeGreaterThan(0);
    expect(peakRssMb).toBeLessThan(450);
  });

  it("honours /Rotate: a page stored sideways and displayed upright reads upright", async () => {
    const doc = await parsePdf(await makeScannedPdf([scan], { pageRotate: 90 }), pdfOcr(pool, "auto"));
    expect(doc.pages[0]).toMatchObject({ ocr: true, ocrRotation: 0, width: 612 });
    expect(text(doc)).toContain("The quick brown fox jumps over the lazy dog.");
  });
});

describe("the parse stage with OCR", () => {
  const job = (mediaType: string, options: { ocr?: string; languages?: string[] } = {}) =>
    parseJob({ jobId: "job_ocr", kind: JobKind.EXTRACT, fileRef: "acme/scan", mediaType }, options);
  const handler = (blobs: ReturnType<typeof memoryBlobs>["blobs"]) =>
    createParseHandler({ blobs, limits: PARSE_DEFAULTS, ocr: { pool, dpi: 200, maxPixels: POOL.maxPixels } });

  it("reads an image job, reporting the page, and hands over to extract", async () => {
    const { blobs, files, results } = memoryBlobs();
    files.set("acme/scan", scan);
    const rec = recordingContext();
    await handler(blobs)(job("image/png"), rec.ctx);
    expect(rec.progress).toEqual(["1:62.5:page 1/1"]);
    const doc = fromBinary(ParsedDocumentSchema, results.get(rec.next[0]!.parsedRef)!);
    expect(doc.pages[0]).toMatchObject({ ocr: true, ocrReason: "image_input" });
  });

  it("refuses languages that are not installed, listing the installed ones", async () => {
    expect([...pool.languages]).toEqual(expect.arrayContaining([...OCR_LANGUAGES]));
    const { blobs, files } = memoryBlobs();
    files.set("acme/scan", scan);
    const err = await failure(handler(blobs)(job("image/png", { languages: ["eng", "klingon"] }), recordingContext().ctx));
    expect(err).toMatchObject({ code: "LANGUAGE_NOT_INSTALLED", retryable: false, details: { missing: ["klingon"] } });
    expect(err.message).toMatch(/installed: deu, eng, fra/);
    const never = await failure(handler(blobs)(job("image/png", { ocr: "never" }), recordingContext().ctx));
    expect(never.code).toBe("INVALID_ARGUMENT");
  });
});

describe("the OCR pool", () => {
  it("recycles a worker after its page budget", async () => {
    const small = createOcrPool({ ...POOL, workers: 1, recyclePages: 1 });
    try {
      await image(scan, small);
      await image(scan, small);
      expect(small.stats()).toMatchObject({ workers: 1, recycled: 2 });
      expect(small.stats().started).toBeGreaterThanOrEqual(2);
    } finally {
      await small.close();
    }
  });

  it("drops a canceled job's queued pages", async () => {
    const tiff = await renderMultiPageTiff([["one"], ["two"], ["three"], ["four"], ["five"], ["six"]]);
    const stop = new AbortController();
    let done = 0;
    const run = image(tiff, pool, { signal: stop.signal, onPage: () => void (++done === 1 && stop.abort(new Error("canceled"))) });
    await expect(run).rejects.toThrow("canceled");
    await new Promise((r) => setTimeout(r, 1_000)); // pages already on a worker finish
    expect(done).toBeLessThan(6);
    expect(pool.stats().queued).toBe(0);
  });
});
