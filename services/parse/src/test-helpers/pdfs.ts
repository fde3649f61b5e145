// PDFs the tests generate with pdf-lib (a root devDependency), so no binary fixtures are checked in.
import { deflateSync } from "node:zlib";
import { degrees, PDFDocument, StandardFonts } from "pdf-lib";

export const LETTER = { width: 612, height: 792 } as const;

/**
 * Page 1: a bold title 72 pt below the top edge and a regular line 72 pt above the bottom;
 * page 2: one line. Text baselines are given in PDF coordinates (origin bottom-left).
 */
export async function makeTwoPagePdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const one = doc.addPage([LETTER.width, LETTER.height]);
  one.drawText("Quarterly Report", { x: 72, y: LETTER.height - 72, size: 24, font: bold });
  one.drawText("Bottom of page one", { x: 72, y: 72, size: 12, font: regular });
  const two = doc.addPage([LETTER.width, LETTER.height]);
  two.drawText("Second page text", { x: 100, y: 400, size: 12, font: regular });
  return doc.save();
}

/** `count` pages, each saying "Page N". */
export async function makeNumberedPdf(count: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= count; i++) {
    doc.addPage([LETTER.width, LETTER.height]).drawText(`Page ${i}`, { x: 72, y: 700, size: 14, font });
  }
  return doc.save();
}

/** A landscape-displayed page: portrait MediaBox with /Rotate 90. */
export async function makeRotatedPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Courier);
  const page = doc.addPage([LETTER.width, LETTER.height]);
  page.setRotation(degrees(90));
  page.drawText("rotated words", { x: 72, y: 720, size: 12, font });
  return doc.save();
}

/**
 * A decompression bomb: one page whose content stream is a few hundred KB of Flate that
 * inflates to `inflatedMb` MB of text-showing operators, each of which pdf.js must turn into
 * a text item.
 */
export async function makeFlateBombPdf(inflatedMb: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([LETTER.width, LETTER.height]);
  page.drawText("before the bomb", { x: 72, y: 700, size: 12, font });
  const body = Buffer.alloc(inflatedMb * 1024 * 1024).fill("(bomb) Tj 1 0 0 1 0 0 Tm\n");
  const inflated = Buffer.concat([
    Buffer.from(`BT /${page.node.normalizedEntries().Font.keys()[0]!.asString().slice(1)} 1 Tf\n`),
    body,
    Buffer.from("\nET\n"),
  ]);
  const stream = doc.context.stream(deflateSync(inflated, { level: 9 }), { Filter: "FlateDecode" });
  page.node.addContentStream(doc.context.register(stream));
  return doc.save();
}
