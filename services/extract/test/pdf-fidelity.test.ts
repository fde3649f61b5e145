/**
 * The layout heuristics end to end on a PDF with a known layout, made with pdf-lib and read
 * by the real parse child (its dist/, so run `npx tsc -b` first; skipped when it is absent):
 * running header and page numbers, a two-column page with a paragraph broken across the
 * columns, a ruled table with a spanning header, a table laid out by alignment alone, a
 * nested list, a code listing, and a paragraph continued on the next page.
 */
import { PDFDocument, StandardFonts, type PDFFont, type PDFPage } from "pdf-lib";
import { beforeAll, describe, expect, it } from "vitest";
import { extractPdf, parserBuilt } from "./real-parse.js";

const H = 792;
const LEFT = [
  "The first column opens the report and",
  "explains the method in a few lines of",
  "plain text, then breaks off in the mid-",
  "dle of a sentence that goes on in the",
];
const RIGHT = [
  "second column, where it ends at last.",
  "The right column then has a paragraph",
  "of its own that closes the page for",
  "the reader, like any other column.",
];

type Draw = (page: PDFPage, text: string, x: number, top: number, size?: number, font?: PDFFont) => void;

async function makePdf(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const [regular, bold, mono] = await Promise.all(
    [StandardFonts.Helvetica, StandardFonts.HelveticaBold, StandardFonts.Courier].map((f) => pdf.embedFont(f)),
  );
  const text: Draw = (page, s, x, top, size = 10, font = regular) => page.drawText(s, { x, y: H - top - size, size, font });
  const furnish = (page: PDFPage, n: number) => {
    text(page, "Quire Test Report", 260, 30, 8);
    text(page, String(n), 300, 750, 8);
  };
  const one = pdf.addPage([612, H]);
  furnish(one, 1);
  text(one, "Layout Fidelity", 210, 70, 20, bold);
  LEFT.forEach((s, i) => text(one, s, 54, 120 + i * 13));
  RIGHT.forEach((s, i) => text(one, s, 320, 120 + i * 13));
  drawRuledTable(one, text, bold);
  const two = pdf.addPage([612, H]);
  furnish(two, 2);
  text(two, "Results by region", 72, 70, 12, bold);
  [
    ["Region", "Sales", "Growth"],
    ["North", "120", "4%"],
    ["South", "98", "2%"],
    ["East", "143", "7%"],
  ].forEach((row, r) => row.forEach((cell, c) => text(two, cell, 72 + c * 120, 100 + r * 14, 10, r === 0 ? bold : regular)));
  [
    ["•", "Fruit", 72],
    ["–", "Apples", 90],
    ["–", "Pears", 90],
    ["•", "Vegetables", 72],
  ].forEach(([marker, item, x], i) => {
    text(two, String(marker), Number(x), 180 + i * 14);
    text(two, String(item), Number(x) + 12, 180 + i * 14);
  });
  ["function add(a, b) {", "  return a + b;", "}"].forEach((s, i) => text(two, s, 72, 260 + i * 12, 9, mono));
  ["A closing paragraph of body text starts near the foot of the", "page and is not finished when the page runs out of"].forEach((s, i) =>
    text(two, s, 72, 700 + i * 13),
  );
  const three = pdf.addPage([612, H]);
  furnish(three, 3);
  text(three, "room, so it carries on over the page break to the end.", 72, 100);
  return pdf.save();
}

/** Columns at 100/200/300/400 pt; "Score" spans the last two columns of a two-row header. */
function drawRuledTable(page: PDFPage, text: Draw, bold: PDFFont): void {
  const line = (x1: number, top1: number, x2: number, top2: number) =>
    page.drawLine({ start: { x: x1, y: H - top1 }, end: { x: x2, y: H - top2 }, thickness: 0.5 });
  for (const top of [300, 330, 345, 360]) line(100, top, 400, top);
  line(200, 315, 400, 315);
  for (const x of [100, 200, 400]) line(x, 300, x, 360);
  line(300, 315, 300, 360);
  text(page, "Model", 110, 310, 10, bold);
  text(page, "Score", 280, 303, 10, bold);
  text(page, "simple", 210, 318);
  text(page, "complex", 310, 318);
  text(page, "OTSL", 110, 333);
  text(page, "0.965", 210, 333);
  text(page, "0.934", 310, 333);
  text(page, "HTML", 110, 348);
  text(page, "0.969", 210, 348);
  text(page, "0.927", 310, 348);
}

describe.skipIf(!parserBuilt)("layout fidelity on a generated PDF, through the real parse child", () => {
  let extraction: Awaited<ReturnType<typeof extractPdf>>;
  beforeAll(async () => {
    extraction = await extractPdf(await makePdf());
  });

  it("keeps the running header and page numbers as blocks, out of the markdown", () => {
    const furniture = extraction.pages.map((p) =>
      p.blocks.filter((b) => b.type === "header" || b.type === "page_number").map((b) => b.text),
    );
    expect(furniture).toEqual([
      ["Quire Test Report", "1"],
      ["Quire Test Report", "2"],
      ["Quire Test Report", "3"],
    ]);
    expect(extraction.markdown).not.toContain("Quire Test Report");
  });

  it("reads the columns in order and joins the paragraph across them, hyphenation undone", () => {
    expect(extraction.markdown).toContain(
      "breaks off in the middle of a sentence that goes on in the second column, where it ends at last.",
    );
    expect(extraction.markdown.indexOf("The right column")).toBeGreaterThan(extraction.markdown.indexOf("ends at last"));
  });

  it("reads the ruled table with its spanning cells, and the aligned one without rules", () => {
    const [ruled, aligned] = extraction.tables;
    expect(ruled?.rows.map((r) => r.map((c) => [c.text, c.row_span, c.col_span]))).toEqual([
      [
        ["Model", 2, 1],
        ["Score", 1, 2],
      ],
      [
        ["simple", 1, 1],
        ["complex", 1, 1],
      ],
      [
        ["OTSL", 1, 1],
        ["0.965", 1, 1],
        ["0.934", 1, 1],
      ],
      [
        ["HTML", 1, 1],
        ["0.969", 1, 1],
        ["0.927", 1, 1],
      ],
    ]);
    expect(aligned?.rows.map((r) => r.map((c) => c.text))).toEqual([
      ["Region", "Sales", "Growth"],
      ["North", "120", "4%"],
      ["South", "98", "2%"],
      ["East", "143", "7%"],
    ]);
    expect(aligned?.page_number).toBe(2);
  });

  it("nests the list, fences the code and finds the title and the bold heading", () => {
    expect(extraction.markdown).toContain("- Fruit\n    - Apples\n    - Pears\n- Vegetables");
    expect(extraction.markdown).toContain("```\nfunction add(a, b) {\n  return a + b;\n}\n```");
    expect(extraction.markdown.startsWith("# Layout Fidelity\n\n")).toBe(true);
    expect(extraction.markdown).toContain("## Results by region");
  });

  it("carries the last paragraph over the page break into one", () => {
    expect(extraction.markdown).toContain("runs out of room, so it carries on over the page break to the end.");
    const [first] = extraction.pages[2]?.blocks.filter((b) => b.type === "paragraph") ?? [];
    expect(first?.continues).toMatch(/^p2-b\d+$/u);
  });
});
