/**
 * Columns of lists and text boxes stay apart: PDFs made with pdf-lib and read by the real parse
 * child (its dist/, so run `npx tsc -b` first; skipped when it is absent).
 *
 * Page 1: a 960×540 slide with a title and two bulleted lists side by side, their items on the
 * same baselines, some wrapping to a second line. Page 2: a slide of three text boxes, two
 * side by side over a wide one. Page 3: two text boxes side by side, each under a bold title,
 * on shared baselines (as a slide's comparison layout sets them). Page 4: a one-column letter
 * whose lines hold label/value pairs set at a tab stop (a whitespace column through
 * consecutive lines that is not a gutter). Page 5: a two-column paper page under a full-width
 * title.
 */
import type { Extraction } from "@quire/contracts";
import { PDFDocument, StandardFonts, type PDFFont, type PDFPage } from "pdf-lib";
import { beforeAll, describe, expect, it } from "vitest";
import { extractPdf, parserBuilt } from "./real-parse.js";

const text = (page: PDFPage, font: PDFFont, s: string, x: number, top: number, size: number) =>
  page.drawText(s, { x, y: page.getHeight() - top - size, size, font });

/** Each item's printed lines; the lists' rows share baselines across the two columns. */
const LEFT_ITEMS = [["Kick-off with the team"], ["Draft the plan for the", "first quarter"], ["Budget"]];
/** The right list has two lines introducing it, the first ending in a colon (so not wrapped text). */
const RIGHT_INTRO = ["Next steps:", "Still to decide"];
const RIGHT_ITEMS = [["Hire engineers"], ["Order the new servers for", "the lab"], ["Ship the beta"]];

function drawList(page: PDFPage, font: PDFFont, items: readonly (readonly string[])[], x: number, top: number): void {
  let row = 0;
  for (const item of items) {
    text(page, font, "\u2022", x, top + row * 34, 20);
    item.forEach((s, i) => text(page, font, s, x + 24, top + (row + i) * 34, 20));
    row += item.length;
  }
}

const BOX_LEFT = ["The left box holds a short note", "written over two lines of text."];
const BOX_RIGHT = ["The right box holds another note", "that is read after the left one."];
const BOX_WIDE = [
  "The wide box below both of them spans the slide from one edge to the other",
  "and is read last, after the two boxes above it have been read in order.",
];

/** Two text boxes side by side, each under its own bold title, on shared baselines (left, top, title, text). */
const TITLED_BOXES: readonly (readonly [number, number, string, readonly string[]])[] = [
  [60, 80, "Goals", ["Grow the number of users in", "every region we serve today."]],
  [520, 80, "Risks", ["Costs may rise faster than the", "income from the new users."]],
];

const LETTER_ABOVE = [
  "This letter confirms the order placed with us last week and lists the",
  "details we hold on file for it, so that you can check them before the",
  "goods are sent out to the address given below in this letter.",
];
const LETTER_FIELDS = [
  ["Name:", "Jane Example"],
  ["Date:", "1 March 2026"],
  ["Reference:", "QX-2231"],
  ["Total due:", "120.00 EUR"],
];
const LETTER_BELOW = [
  "Please write to us within ten days if any of these details is wrong, and",
  "we will correct the order and send you a new confirmation at once.",
];

const PAPER_LEFT = [
  "The first column begins here and",
  "runs down the left half of the",
  "page with several lines of text",
  "for the reader to follow along.",
  "It ends at the foot of the page.",
];
const PAPER_RIGHT = [
  "The second column starts at the",
  "top of the right half and must",
  "come after the whole left column",
  "when the page is read in order,",
  "even though its lines sit beside.",
];

async function makePdf(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const [font, bold] = await Promise.all([StandardFonts.Helvetica, StandardFonts.HelveticaBold].map((f) => pdf.embedFont(f)));
  const lists = pdf.addPage([960, 540]);
  text(lists, bold, "Project overview", 60, 50, 32);
  drawList(lists, font, LEFT_ITEMS, 60, 140);
  RIGHT_INTRO.forEach((s, i) => text(lists, font, s, 500, 72 + i * 34, 20));
  drawList(lists, font, RIGHT_ITEMS, 500, 140);

  const boxes = pdf.addPage([960, 540]);
  BOX_LEFT.forEach((s, i) => text(boxes, font, s, 60, 80 + i * 26, 20));
  BOX_RIGHT.forEach((s, i) => text(boxes, font, s, 520, 80 + i * 26, 20));
  BOX_WIDE.forEach((s, i) => text(boxes, font, s, 60, 300 + i * 26, 20));

  const titled = pdf.addPage([960, 540]);
  for (const [x, top, title, body] of TITLED_BOXES) {
    text(titled, bold, title, x, top, 24);
    body.forEach((s, i) => text(titled, font, s, x, top + 40 + i * 26, 20));
  }

  const letter = pdf.addPage([612, 792]);
  LETTER_ABOVE.forEach((s, i) => text(letter, font, s, 72, 100 + i * 14, 11));
  LETTER_FIELDS.forEach(([label, value], i) => {
    text(letter, font, label ?? "", 72, 160 + i * 14, 11);
    text(letter, font, value ?? "", 200, 160 + i * 14, 11);
  });
  LETTER_BELOW.forEach((s, i) => text(letter, font, s, 72, 230 + i * 14, 11));

  const paper = pdf.addPage([612, 792]);
  text(paper, bold, "Reading Two Columns in Order", 150, 60, 20);
  PAPER_LEFT.forEach((s, i) => text(paper, font, s, 54, 110 + i * 13, 10));
  PAPER_RIGHT.forEach((s, i) => text(paper, font, s, 320, 110 + i * 13, 10));
  return pdf.save();
}

describe.skipIf(!parserBuilt)("columns of lists and text boxes stay apart (real parse child)", () => {
  let extraction: Extraction;
  beforeAll(async () => {
    extraction = await extractPdf(await makePdf());
  });

  /** The markdown of one page's content blocks, as the document's markdown renders them. */
  const pageTexts = (n: number) =>
    (extraction.pages[n - 1]?.blocks ?? []).filter((b) => !["header", "footer", "page_number"].includes(b.type));

  it("reads two lists side by side as two lists, left whole then right, each item whole", () => {
    const blocks = pageTexts(1);
    expect(blocks.map((b) => [b.type, b.text])).toEqual([
      ["title", "Project overview"],
      ...LEFT_ITEMS.map((item) => ["list_item", item.join(" ")]),
      ...RIGHT_INTRO.map((line) => ["paragraph", line]),
      ...RIGHT_ITEMS.map((item) => ["list_item", item.join(" ")]),
    ]);
    const markdown = extraction.markdown.split("\n");
    const items = markdown.filter((l) => l.startsWith("- "));
    expect(items).toEqual([...LEFT_ITEMS, ...RIGHT_ITEMS].map((item) => `- ${item.join(" ")}`));
    expect(markdown.some((l) => l.includes("team") && (l.includes("engineers") || l.includes("steps")))).toBe(false);
  });

  it("reads text boxes in box order: top left, top right, then the wide box below", () => {
    expect(pageTexts(2).map((b) => b.text)).toEqual([BOX_LEFT.join(" "), BOX_RIGHT.join(" "), BOX_WIDE.join(" ")]);
  });

  it("reads two titled text boxes side by side box by box, each title before its text", () => {
    expect(pageTexts(3).map((b) => b.text)).toEqual(TITLED_BOXES.flatMap(([, , title, body]) => [title, body.join(" ")]));
  });

  it("keeps label/value pairs at a tab stop on their lines: a whitespace column is not a gutter", () => {
    const text = pageTexts(4)
      .map((b) => b.text)
      .join("\n");
    // Row by row (as lines or as a two-column table), never all the labels and then all the values.
    const at = (s: string | undefined) => text.indexOf(s ?? "");
    LETTER_FIELDS.forEach(([label, value], i) => {
      expect(at(label)).toBeGreaterThan(-1);
      expect(at(label)).toBeLessThan(at(value));
      const next = LETTER_FIELDS[i + 1];
      if (next) expect(at(value)).toBeLessThan(at(next[0]));
    });
    expect(text.indexOf(LETTER_ABOVE[0] ?? "")).toBeLessThan(text.indexOf("Name:"));
    expect(text.indexOf("Total due:")).toBeLessThan(text.indexOf(LETTER_BELOW[0] ?? ""));
  });

  it("still reads a two-column paper page left column then right", () => {
    expect(pageTexts(5).map((b) => b.text)).toEqual(["Reading Two Columns in Order", PAPER_LEFT.join(" "), PAPER_RIGHT.join(" ")]);
  });
});
