#!/usr/bin/env node
// Writes a small two-page PDF (a heading and paragraphs) for curl examples and the CI smoke test;
// with --invoice, a one-page invoice (labels, line items, totals) for the schema examples.
//   node scripts/make-sample-pdf.mjs sample.pdf
//   node scripts/make-sample-pdf.mjs --invoice invoice.pdf
import { writeFile } from "node:fs/promises";
import { PDFDocument, StandardFonts } from "pdf-lib";
import { makeInvoicePdf } from "./sample-invoice.mjs";

const invoice = process.argv.includes("--invoice");
const out = process.argv.slice(2).find((a) => !a.startsWith("--")) ?? (invoice ? "invoice.pdf" : "sample.pdf");
if (invoice) {
  await writeFile(out, await makeInvoicePdf());
  console.error(`wrote ${out}`);
  process.exit(0);
}
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
