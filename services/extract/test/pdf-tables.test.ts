/**
 * Tables keep their text, and a chart is not a table: PDFs made with pdf-lib and read by the
 * real parse child (its dist/, so run `npx tsc -b` first; skipped when it is absent).
 *
 * Page 1: a ruled grid with a header cell merged over two columns, an empty body cell, and a
 * cell whose text runs past the table's right border (its centre outside the grid). Page 2: a line chart (axes, a grid of
 * gridlines, tick labels, a legend and two point labels inside the plot, the data as a
 * polyline). Page 3: a ruled frame around a few words that fill too few of its cells to be a
 * table, with the words in reading order. Page 4: a slide's table without rules, each cell a
 * shaded box (the header's "First half" one box over two columns), rows striped, one cell empty.
 */
import type { Extraction } from "@quire/contracts";
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from "pdf-lib";
import { beforeAll, describe, expect, it } from "vitest";
import { extractPdf, parserBuilt } from "./real-parse.js";

const H = 792;

const line = (page: PDFPage, x1: number, top1: number, x2: number, top2: number, thickness = 0.5) =>
  page.drawLine({ start: { x: x1, y: H - top1 }, end: { x: x2, y: H - top2 }, thickness });
const text = (page: PDFPage, font: PDFFont, s: string, x: number, top: number, size = 10) =>
  page.drawText(s, { x, y: H - top - size, size, font });

/** Columns at 72/172/272/372/472; rows at 100/120/140/160/180. "Quarterly totals" spans columns 2-3. */
function drawGridTable(page: PDFPage, font: PDFFont, bold: PDFFont): void {
  const xs = [72, 172, 272, 372, 472];
  const tops = [100, 120, 140, 160, 180];
  for (const top of tops) line(page, 72, top, 472, top);
  for (const x of xs) {
    // The border between columns 2 and 3 is not drawn in the header row: one merged cell.
    if (x === 272) line(page, x, 120, x, 180);
    else line(page, x, 100, x, 180);
  }
  text(page, bold, "Region", 76, 104);
  text(page, bold, "Quarterly totals", 190, 104);
  text(page, bold, "Notes", 376, 104);
  const body = [
    ["North", "120", "130", "steady growth all through the year and beyond"],
    ["South", "98", "", "late report"],
    ["East", "143", "151", "best quarter of the year by a wide margin"],
  ];
  body.forEach((row, r) => row.forEach((cell, c) => cell && text(page, font, cell, (xs[c] ?? 0) + 4, 124 + r * 20)));
}

/** A line chart: axes, a 10 x 5 grid of gridlines, tick labels, a legend and point labels. */
function drawLineChart(page: PDFPage, font: PDFFont): void {
  const [x0, x1, top, bottom] = [100, 500, 100, 350];
  for (let i = 0; i <= 10; i++) line(page, x0 + i * 40, top, x0 + i * 40, bottom, 0.25);
  for (let j = 0; j <= 5; j++) line(page, x0, top + j * 50, x1, top + j * 50, 0.25);
  line(page, x0, bottom, x1, bottom, 1);
  line(page, x0, top, x0, bottom, 1);
  const values = [10, 25, 20, 40, 35, 60, 55, 70, 65, 80, 90];
  const svg = values.map((v, i) => `${i === 0 ? "M" : "L"} ${x0 + i * 40} ${top + (100 - v) * 2.5}`).join(" ");
  page.drawSvgPath(svg, { x: 0, y: H, borderWidth: 1.5 });
  for (let i = 0; i <= 10; i++) text(page, font, String(2010 + i), x0 + i * 40 - 10, bottom + 6, 8);
  for (let j = 0; j <= 5; j++) text(page, font, String(100 - j * 20), x0 - 20, top + j * 50 - 4, 8);
  text(page, font, "Revenue", x0 + 10, top + 10, 8);
  text(page, font, "peak", x0 + 390, top + 26, 8);
  text(page, font, "low", x0 + 6, top + 218, 8);
}

/** A frame of 4 x 4 ruled cells with words in two of them, and a sentence under it. */
function drawSparseFrame(page: PDFPage, font: PDFFont): void {
  for (let k = 0; k <= 4; k++) {
    line(page, 72, 100 + k * 30, 472, 100 + k * 30);
    line(page, 72 + k * 100, 100, 72 + k * 100, 220);
  }
  text(page, font, "Signature", 76, 108);
  text(page, font, "Date", 376, 198);
  text(page, font, "Sign above and date below.", 72, 240);
}

/** Cells as shaded boxes 2 pt apart, columns at 100/300/500/700/860; `null` continues the cell before it. */
function drawShadedTable(page: PDFPage, font: PDFFont, bold: PDFFont): void {
  const xs = [100, 300, 500, 700, 860];
  const rows = [
    ["Team", "First half", null, "Owner"],
    ["Design", "Draft", "Review", "Ana"],
    ["Build", "", "Ship", "Ben"],
    ["Test", "Plan", "Run", "Cy"],
  ];
  rows.forEach((row, r) => {
    const top = 120 + r * 50;
    for (let c = 0; c < row.length;) {
      const span = row[c + 1] === null ? 2 : 1;
      const [x0, x1] = [xs[c] ?? 0, xs[c + span] ?? 0];
      const shade = r === 0 ? rgb(0.2, 0.3, 0.6) : r % 2 ? rgb(0.85, 0.88, 0.95) : rgb(0.93, 0.94, 0.97);
      page.drawRectangle({ x: x0 + 1, y: 540 - top - 48, width: x1 - x0 - 2, height: 48, color: shade });
      const t = row[c];
      if (t)
        page.drawText(t, {
          x: x0 + 10,
          y: 540 - top - 30,
          size: 16,
          font: r === 0 ? bold : font,
          color: r === 0 ? rgb(1, 1, 1) : rgb(0, 0, 0),
        });
      c += span;
    }
  });
}

async function makePdf(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const [font, bold] = await Promise.all([StandardFonts.Helvetica, StandardFonts.HelveticaBold].map((f) => pdf.embedFont(f)));
  const one = pdf.addPage([612, H]);
  text(one, bold, "Sales by region", 72, 70, 14);
  drawGridTable(one, font, bold);
  const two = pdf.addPage([612, H]);
  text(two, bold, "Revenue over ten years", 72, 70, 14);
  drawLineChart(two, font);
  drawSparseFrame(pdf.addPage([612, H]), font);
  const slide = pdf.addPage([960, 540]);
  slide.drawText("Quarterly plan", { x: 60, y: 480, size: 28, font: bold });
  drawShadedTable(slide, font, bold);
  return pdf.save();
}

describe.skipIf(!parserBuilt)("tables keep their text; a chart is not a table (real parse child)", () => {
  let extraction: Extraction;
  beforeAll(async () => {
    extraction = await extractPdf(await makePdf());
  });

  const onPage = (n: number) => extraction.tables.filter((t) => t.page_number === n);
  const pageText = (n: number) => (extraction.pages[n - 1]?.blocks ?? []).map((b) => b.text).join("\n");

  it("structures the grid: the merged header spans two columns, the empty cell stays empty, every word is in a cell", () => {
    const [table] = onPage(1);
    expect(onPage(1)).toHaveLength(1);
    expect(table?.rows.map((r) => r.map((c) => [c.text, c.col_span]))).toEqual([
      [
        ["Region", 1],
        ["Quarterly totals", 2],
        ["Notes", 1],
      ],
      [
        ["North", 1],
        ["120", 1],
        ["130", 1],
        ["steady growth all through the year and beyond", 1],
      ],
      [
        ["South", 1],
        ["98", 1],
        ["", 1],
        ["late report", 1],
      ],
      [
        ["East", 1],
        ["143", 1],
        ["151", 1],
        ["best quarter of the year by a wide margin", 1],
      ],
    ]);
  });

  it("writes the same table into the markdown, the merged cell over both its columns", () => {
    const md = extraction.markdown;
    expect(md).toContain(
      [
        "| Region | Quarterly totals | Quarterly totals | Notes |",
        "| --- | --- | --- | --- |",
        "| North | 120 | 130 | steady growth all through the year and beyond |",
        "| South | 98 |  | late report |",
        "| East | 143 | 151 | best quarter of the year by a wide margin |",
      ].join("\n"),
    );
    for (const cell of onPage(1).flatMap((t) => t.rows.flat())) expect(md).toContain(cell.text);
  });

  it("does not take the chart's gridlines for a table, and keeps its labels", () => {
    expect(onPage(2)).toEqual([]);
    // No row of empty cells anywhere (the chart's grid as an empty many-column table).
    expect(extraction.markdown).not.toMatch(/^\|( +\|){2,}$/mu);
    const labels = pageText(2);
    for (const word of ["2010", "2015", "2020", "100", "Revenue", "peak", "low"]) expect(labels).toContain(word);
  });

  it("reads a frame with too few filled cells as text, in reading order", () => {
    expect(onPage(3)).toEqual([]);
    const words = pageText(3);
    expect(words.indexOf("Signature")).toBeGreaterThanOrEqual(0);
    expect(words.indexOf("Date")).toBeGreaterThan(words.indexOf("Signature"));
    expect(words.indexOf("Sign above and date below.")).toBeGreaterThan(words.indexOf("Date"));
  });

  it("reads a table of shaded cells, a box over two columns as a merged cell, the empty cell empty", () => {
    const [table] = onPage(4);
    expect(table?.rows.map((r) => r.map((c) => [c.text, c.col_span]))).toEqual([
      [
        ["Team", 1],
        ["First half", 2],
        ["Owner", 1],
      ],
      [
        ["Design", 1],
        ["Draft", 1],
        ["Review", 1],
        ["Ana", 1],
      ],
      [
        ["Build", 1],
        ["", 1],
        ["Ship", 1],
        ["Ben", 1],
      ],
      [
        ["Test", 1],
        ["Plan", 1],
        ["Run", 1],
        ["Cy", 1],
      ],
    ]);
    expect(extraction.markdown).toContain(
      "| Team | First half | First half | Owner |\n| --- | --- | --- | --- |\n| Design | Draft | Review | Ana |\n| Build |  | Ship | Ben |",
    );
  });
});
