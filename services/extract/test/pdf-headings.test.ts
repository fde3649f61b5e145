/**
 * Headings from the document's own typography, on PDFs made with pdf-lib and read by the real
 * parse child (its dist/, so run `npx tsc -b` first; skipped when it is absent).
 *
 * - A letter and an invoice (a larger company name, bold labels and a bold table header at
 *   body size, no sections) get at most one title and no section headings.
 * - A report (a title set largest, numbered sections "1 Introduction", numbered subsections
 *   "2.1 Data", two pages) gets the title as `#`, sections as `##`, subsections as `###`, on
 *   every page; the same report set at body 9 pt and at body 14 pt gets the same levels.
 * - A report whose cover carries a big display figure (a year set larger than the title) still
 *   gets its title as `#` above its `##` sections.
 * - A title set in bold at body size, opening the document above larger unnumbered sections,
 *   is `#` over them, not `###` under their `##`.
 * - Slide titles over short text boxes in smaller type stay headings.
 * - A title drawn in pieces (one show-text per piece on one baseline) keeps its spaces.
 */
import type { Block, Extraction } from "@quire/contracts";
import { PDFDocument, StandardFonts, type PDFFont, type PDFPage } from "pdf-lib";
import { beforeAll, describe, expect, it } from "vitest";
import { extractPdf, parserBuilt } from "./real-parse.js";

const H = 792;

interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
}

const PROSE = [
  "The quick survey of the material shows that most of the pages carry running text in one",
  "size, with a few short lines set apart above each part of the argument. Readers find their",
  "way through such a document by those lines, and a tool that reads it should find them too,",
  "at the depth the author meant, whatever the size of the type on the page happens to be.",
];

/** Draws text with its top at `top` (from the page's top edge). */
const text = (page: PDFPage, font: PDFFont, s: string, x: number, top: number, size: number) =>
  page.drawText(s, { x, y: H - top - size, size, font });

/** A paragraph of body text; returns the top of whatever comes next. */
function paragraph(page: PDFPage, fonts: Fonts, top: number, body: number): number {
  PROSE.forEach((s, i) => text(page, fonts.regular, s, 60, top + i * body * 1.3, body * 0.92));
  return top + PROSE.length * body * 1.3 + body;
}

/** Sizes relative to the body: the title 2×, sections 1.3×, subsections bold at 1.1×. */
function drawReport(pdf: PDFDocument, fonts: Fonts, body: number, cover?: string): void {
  const heading = (page: PDFPage, s: string, top: number, scale: number): number => {
    text(page, fonts.bold, s, 60, top, body * scale);
    return top + body * scale * 1.8;
  };
  const one = pdf.addPage([612, H]);
  let top = 60;
  if (cover) {
    text(one, fonts.bold, cover, 60, top, body * 5);
    top += body * 7;
  }
  top = heading(one, "Reading Documents by Their Shape", top, 2);
  top = paragraph(one, fonts, top, body);
  top = heading(one, "1 Introduction", top, 1.3);
  top = paragraph(one, fonts, top, body);
  top = heading(one, "2 Methods", top, 1.3);
  top = paragraph(one, fonts, top, body);
  top = heading(one, "2.1 Data", top, 1.1);
  paragraph(one, fonts, top, body);
  const two = pdf.addPage([612, H]);
  top = heading(two, "2.2 Analysis", 60, 1.1);
  top = paragraph(two, fonts, top, body);
  top = heading(two, "3 Results", top, 1.3);
  top = paragraph(two, fonts, top, body);
  top = heading(two, "3.1 Accuracy", top, 1.1);
  paragraph(two, fonts, top, body);
}

/** A title in bold at body size opening the document, over unnumbered sections set larger (one with a byline). */
function drawPlainReport(pdf: PDFDocument, fonts: Fonts): void {
  for (const [p, names] of [["Notes on Shape"], ["Where It Starts", "What Follows"], ["How It Ends"]].entries()) {
    const page = pdf.addPage([612, H]);
    let top = 60;
    for (const name of names) {
      text(page, fonts.bold, name, 60, top, p === 0 ? 10 : 13.4);
      // A byline between a heading and its text.
      if (name === "What Follows") text(page, fonts.regular, "by Ann Example", 60, (top += 24), 9.2);
      top = paragraph(page, fonts, top + 24, 10);
    }
  }
}

/** Slides: a title in large type over short text boxes in smaller type (not sentences). */
function drawSlides(pdf: PDFDocument, { regular, bold }: Fonts): void {
  for (const [title, boxes] of [
    ["Quarterly Plan", ["Budget Approved", "Hiring In May"]],
    ["Next Steps", ["Vendor Review", "Launch Date"]],
  ] as const) {
    const slide = pdf.addPage([960, 540]);
    slide.drawText(title, { x: 60, y: 460, size: 32, font: bold });
    boxes.forEach((s, i) => slide.drawText(s, { x: 60 + i * 420, y: 300, size: 18, font: regular }));
  }
}

function drawLetter(page: PDFPage, { regular, bold }: Fonts): void {
  text(page, bold, "Harbour Lane Supplies", 60, 50, 16);
  ["12 Harbour Lane", "Port Ellis PE4 2AB", "Telephone 0123 456 789"].forEach((s, i) => text(page, regular, s, 60, 74 + i * 12, 9));
  text(page, regular, "4 March 2026", 440, 130, 10);
  ["Ms Jane Doe", "7 Orchard Road", "Lower Fenwick"].forEach((s, i) => text(page, regular, s, 60, 150 + i * 13, 10));
  text(page, bold, "Your order 4471", 60, 210, 10);
  text(page, regular, "Dear Ms Doe,", 60, 236, 10);
  let top = 258;
  for (let p = 0; p < 3; p++) {
    PROSE.forEach((s, i) => text(page, regular, s, 60, top + i * 13, 10));
    top += PROSE.length * 13 + 10;
  }
  text(page, regular, "Yours sincerely,", 60, top + 10, 10);
  text(page, bold, "Peter Rowe", 60, top + 50, 10);
  text(page, regular, "Sales Manager", 60, top + 63, 10);
}

function drawInvoice(page: PDFPage, { regular, bold }: Fonts): void {
  text(page, bold, "Brightwater Tools", 60, 50, 18);
  ["3 Mill Street", "Eastford EF1 9ZZ"].forEach((s, i) => text(page, regular, s, 60, 76 + i * 12, 9));
  const field = (label: string, value: string, top: number) => {
    text(page, bold, label, 360, top, 10);
    text(page, regular, value, 460, top, 10);
  };
  field("Invoice no", "2026-0147", 60);
  field("Date", "4 March 2026", 74);
  field("Due date", "3 April 2026", 88);
  text(page, bold, "Bill to", 60, 130, 10);
  ["Jane Doe", "7 Orchard Road", "Lower Fenwick"].forEach((s, i) => text(page, regular, s, 60, 144 + i * 13, 10));
  const cols = [60, 300, 380, 470];
  ["Description", "Quantity", "Price", "Amount"].forEach((s, c) => text(page, bold, s, cols[c] ?? 0, 220, 10));
  const rows = [
    ["Hand saw", "2", "14.00", "28.00"],
    ["Claw hammer", "1", "9.50", "9.50"],
    ["Box of screws", "4", "3.25", "13.00"],
  ];
  rows.forEach((row, r) => row.forEach((s, c) => text(page, regular, s, cols[c] ?? 0, 240 + r * 16, 10)));
  text(page, bold, "Total due", 380, 300, 10);
  text(page, bold, "50.50", 470, 300, 10);
  // An enlarged field over smaller text: a label and its value, not a heading.
  text(page, bold, "Balance due: $50.50", 60, 316, 14);
  text(page, regular, "Payment within thirty days to the account shown on our website. Thank you for your order.", 60, 340, 9);
}

/**
 * Titles drawn in pieces, one show-text each, on one baseline, each piece placed where the
 * layout program put it: after a full space; a point after the last letter in another font;
 * half a point after it in a smaller size.
 */
function drawPiecedTitle(page: PDFPage, { regular, bold }: Fonts): void {
  const pieces = (top: number, size: number, a: [string, PDFFont], b: [string, PDFFont, number], gap: number) => {
    text(page, a[1], a[0], 60, top, size);
    page.drawText(b[0], { x: 60 + a[1].widthOfTextAtSize(a[0], size) + gap, y: H - top - size, size: b[2], font: b[1] });
  };
  pieces(60, 20, ["Tax Return", bold], ["For the year 2026", regular, 20], bold.widthOfTextAtSize(" ", 20));
  pieces(110, 20, ["Tax Return", bold], ["Schedule B", regular, 20], 1);
  pieces(160, 24, ["Annual Report", bold], ["Fiscal year 2026", regular, 14], 0.5);
  let top = 210;
  for (let p = 0; p < 2; p++) {
    PROSE.forEach((s, i) => text(page, regular, s, 60, top + i * 13, 10));
    top += PROSE.length * 13 + 10;
  }
}

async function pdfOf(draw: (pdf: PDFDocument, fonts: Fonts) => void): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const [regular, bold] = await Promise.all([StandardFonts.Helvetica, StandardFonts.HelveticaBold].map((f) => pdf.embedFont(f)));
  draw(pdf, { regular, bold });
  return pdf.save();
}

const headings = (e: Extraction): Block[] => e.pages.flatMap((p) => p.blocks.filter((b) => b.type === "title" || b.type === "heading"));
const outline = (e: Extraction): [string, number][] => headings(e).map((b) => [b.text, b.type === "title" ? 1 : (b.level ?? 0)]);

const REPORT_OUTLINE: [string, number][] = [
  ["Reading Documents by Their Shape", 1],
  ["1 Introduction", 2],
  ["2 Methods", 2],
  ["2.1 Data", 3],
  ["2.2 Analysis", 3],
  ["3 Results", 2],
  ["3.1 Accuracy", 3],
];

describe.skipIf(!parserBuilt)("headings from the document's own typography (real parse child)", () => {
  const docs: Record<string, Extraction> = {};
  beforeAll(async () => {
    const run = async (draw: (pdf: PDFDocument, fonts: Fonts) => void) => extractPdf(await pdfOf(draw));
    docs.letter = await run((pdf, f) => drawLetter(pdf.addPage([612, H]), f));
    docs.invoice = await run((pdf, f) => drawInvoice(pdf.addPage([612, H]), f));
    docs.report = await run((pdf, f) => drawReport(pdf, f, 10));
    docs.small = await run((pdf, f) => drawReport(pdf, f, 9));
    docs.large = await run((pdf, f) => drawReport(pdf, f, 14));
    docs.cover = await run((pdf, f) => drawReport(pdf, f, 10, "2026"));
    docs.plain = await run((pdf, f) => drawPlainReport(pdf, f));
    docs.slides = await run(drawSlides);
    docs.pieces = await run((pdf, f) => drawPiecedTitle(pdf.addPage([612, H]), f));
  });

  it("gives a letter at most its title, never section headings", () => {
    const found = headings(docs.letter as Extraction);
    expect(found.filter((b) => b.type === "heading")).toEqual([]);
    expect(found.length).toBeLessThanOrEqual(1);
    expect(docs.letter?.markdown).toContain("Dear Ms Doe,");
  });

  it("gives an invoice at most its title: bold labels and a bold table header are not headings", () => {
    const found = headings(docs.invoice as Extraction);
    expect(found.filter((b) => b.type === "heading")).toEqual([]);
    expect(found.length).toBeLessThanOrEqual(1);
    expect(found.map((b) => b.text)).not.toContain("Balance due: $50.50"); // a field, however large
    for (const word of ["Invoice no", "Bill to", "Description", "Total due", "50.50", "Balance due: $50.50"])
      expect(docs.invoice?.markdown).toContain(word);
  });

  it("sets the title as #, numbered sections as ##, subsections as ###, on both pages", () => {
    expect(outline(docs.report as Extraction)).toEqual(REPORT_OUTLINE);
    const md = docs.report?.markdown ?? "";
    expect(md).toMatch(/^# Reading Documents by Their Shape$/mu);
    expect(md).toMatch(/^## 3 Results$/mu);
    expect(md).toMatch(/^### 2\.2 Analysis$/mu);
  });

  it("gives the same levels whatever the absolute sizes (body 9 pt, 10 pt, 14 pt)", () => {
    expect(outline(docs.small as Extraction)).toEqual(REPORT_OUTLINE);
    expect(outline(docs.large as Extraction)).toEqual(REPORT_OUTLINE);
  });

  it("keeps the title at # above ## sections when a display figure is set larger than it", () => {
    const levels = outline(docs.cover as Extraction).filter(([t]) => t !== "2026");
    expect(levels).toEqual(REPORT_OUTLINE);
  });

  it("keeps a title set in bold at body size at # above larger ## sections, not ### under them", () => {
    expect(outline(docs.plain as Extraction)).toEqual([
      ["Notes on Shape", 1],
      ["Where It Starts", 2],
      ["What Follows", 2],
      ["How It Ends", 2],
    ]);
  });

  it("keeps slide titles over short text boxes set smaller", () => {
    expect(outline(docs.slides as Extraction)).toEqual([
      ["Quarterly Plan", 2],
      ["Next Steps", 2],
    ]);
  });

  it("keeps the spaces of a title drawn in pieces", () => {
    const md = docs.pieces?.markdown ?? "";
    for (const title of ["Tax Return For the year 2026", "Tax Return Schedule B", "Annual Report Fiscal year 2026"])
      expect(md).toContain(title);
  });
});
