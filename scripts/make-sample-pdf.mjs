#!/usr/bin/env node
// Writes a small two-page PDF (a heading and paragraphs) for curl examples and the CI smoke test.
import { writeFile } from "node:fs/promises";
import { PDFDocument, StandardFonts } from "pdf-lib";

const out = process.argv[2] ?? "sample.pdf";
const doc = await PDFDocument.create();
const regular = await doc.embedFont(StandardFonts.Helvetica);
const bold = await doc.embedFont(StandardFonts.HelveticaBold);
for (let n = 1; n <= 2; n++) {
  const page = doc.addPage([612, 792]);
  page.drawText(n === 1 ? "Hello from Quire" : "Second page", { x: 72, y: 700, size: 24, font: bold });
  const body = [
    "Quire turns documents into markdown, blocks with bounding boxes and chunks.",
    "This paragraph is on page " + n + " of a generated sample document.",
  ];
  body.forEach((line, i) => page.drawText(line, { x: 72, y: 660 - i * 16, size: 11, font: regular }));
}
await writeFile(out, await doc.save());
console.error(`wrote ${out}`);
