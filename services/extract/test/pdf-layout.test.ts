/**
 * End to end through real PDF text: a two-column PDF made with pdf-lib, read with pdf.js the
 * way parse reads it, laid out by extract. pdf.js is a dependency of the parse service, not of
 * this one, so the test is skipped when that copy is not installed.
 */
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { ParsedDocumentSchema, TextItemSchema, type ParsedDocument } from "@quire/contracts";
import { PDFDocument, StandardFonts, type PDFFont, type PDFPage } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { buildExtraction } from "../src/extraction.js";

const LEFT = [
  "The first column begins here and",
  "runs down the left half of the",
  "page with several lines of infor-",
  "mation for the reader to follow.",
];
const RIGHT = [
  "The second column starts at the",
  "top of the right half and must",
  "come after the whole left column",
  "when the page is read in order.",
];

async function twoColumnPdf(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const [regular, bold] = [await pdf.embedFont(StandardFonts.Helvetica), await pdf.embedFont(StandardFonts.HelveticaBold)];
  const p = pdf.addPage([612, 792]);
  const text = (page: PDFPage, s: string, x: number, top: number, size: number, font: PDFFont) =>
    page.drawText(s, { x, y: 792 - top - size, size, font });
  text(p, "A Two Column Test Document", 150, 60, 20, bold);
  text(p, "1 Introduction", 54, 110, 13, bold);
  LEFT.forEach((s, i) => text(p, s, 54, 135 + i * 13, 10, regular));
  RIGHT.forEach((s, i) => text(p, s, 320, 110 + i * 13, 10, regular));
  return pdf.save();
}

/** The little of pdf.js this test touches (its types live with the parse service). */
interface PdfjsModule {
  getDocument(src: object): { promise: Promise<{ getPage(n: number): Promise<PdfjsPage> }>; destroy(): Promise<void> };
}
interface PdfjsPage {
  getViewport(o: { scale: number }): { width: number; height: number; convertToViewportPoint(x: number, y: number): number[] };
  getTextContent(): Promise<{ items: ({ str: string; transform: number[]; width: number; fontName: string; dir: string } | object)[] }>;
  getOperatorList(): Promise<unknown>;
  commonObjs: { get(id: string): unknown };
}

/** pdf.js text items → ParsedDocument, as the parse service maps them (top-left origin). */
async function parseWithPdfjs(bytes: Uint8Array): Promise<ParsedDocument> {
  const pdfjs = (await import("pdfjs-dist/legacy/build/pdf.mjs")) as unknown as PdfjsModule;
  const task = pdfjs.getDocument({ data: bytes, isEvalSupported: false, fontExtraProperties: true, verbosity: 0 });
  const pdf = await task.promise;
  const page = await pdf.getPage(1);
  const viewport = page.getViewport({ scale: 1 });
  const content = await page.getTextContent();
  await page.getOperatorList(); // resolves the fonts, whose names say bold
  const items: MessageInitShape<typeof TextItemSchema>[] = [];
  for (const it of content.items) {
    if (!("str" in it) || it.str === "") continue;
    const [, , c, d, e, f] = it.transform;
    const size = Math.hypot(c ?? 0, d ?? 0);
    const [x, baseline] = viewport.convertToViewportPoint(e ?? 0, f ?? 0) as [number, number];
    const name = String((page.commonObjs.get(it.fontName) as { name?: string } | undefined)?.name ?? "");
    items.push({
      text: it.str,
      x,
      y: baseline - size,
      width: it.width,
      height: size,
      fontSize: size,
      fontName: name,
      bold: /bold/iu.test(name),
      dir: it.dir,
    });
  }
  await task.destroy();
  return create(ParsedDocumentSchema, { pageCount: 1, pages: [{ pageNumber: 1, width: viewport.width, height: viewport.height, items }] });
}

describe("a generated two-column PDF read with pdf.js", () => {
  it("comes out title first, then the left column, then the right, with the hyphenated word joined", async () => {
    const extraction = buildExtraction(await parseWithPdfjs(await twoColumnPdf()), { extractionId: "ext_pdf", cachedParse: false });
    expect(extraction.markdown).toBe(
      [
        "# A Two Column Test Document",
        "## 1 Introduction",
        "The first column begins here and runs down the left half of the page with several lines of information for the reader to follow.",
        RIGHT.join(" "),
      ].join("\n\n"),
    );
    const [title] = extraction.pages[0]?.blocks ?? [];
    expect(title?.bbox[0]).toBeCloseTo(150 / 612, 2);
    expect(title?.bbox[1]).toBeGreaterThan(0.07);
    expect(title?.bbox[1]).toBeLessThan(0.1);
  });
});
