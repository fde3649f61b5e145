import { PDFDocument, StandardFonts } from "pdf-lib";

export const HEADINGS = ["Introduction", "Methods", "Results", "Discussion", "Appendix"];
const headingOf = (n: number): string => HEADINGS[(n - 1) % HEADINGS.length] ?? "Section";

/** A PDF with `pages` pages; page n has a heading (HEADINGS, cycled) and `lines` body lines. */
export async function makePdf(pages: number, lines = 3): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  for (let n = 1; n <= pages; n++) {
    const page = doc.addPage([612, 792]);
    page.drawText(headingOf(n), { x: 72, y: 720, size: 22, font: bold });
    for (let i = 0; i < lines; i++)
      page.drawText(`Body line ${i + 1} of page ${n} in a generated test document.`, { x: 72, y: 680 - i * 15, size: 11, font: regular });
  }
  return doc.save();
}

export function formWith(file: Uint8Array, fields: Record<string, string> = {}, name = "doc.pdf"): FormData {
  const form = new FormData();
  form.set("file", new Blob([Buffer.from(file)], { type: "application/pdf" }), name);
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return form;
}
