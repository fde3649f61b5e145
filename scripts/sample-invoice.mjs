// A generated one-page invoice: the README's schema example and the tests fill a schema from it.
import { PDFDocument, StandardFonts } from "pdf-lib";

/** What makeInvoicePdf prints, for assertions and for comparing with a schema result. */
export const INVOICE = {
  number: "INV-4711",
  date: "2026-11-02",
  items: [
    { description: "Consulting services", qty: 10, amount: 1200 },
    { description: "Travel expenses", qty: 1, amount: 380.5 },
    { description: "Software licence", qty: 2, amount: 900 },
  ],
  subtotal: 2480.5,
  vat: 496.1,
  total: 2976.6,
};

/**
 * A one-page invoice laid out the way invoicing software prints one: labels with their values
 * to the right, a line-items table in columns, totals under it.
 */
export async function makeInvoicePdf() {
  const pdf = await PDFDocument.create();
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const page = pdf.addPage([612, 792]);
  const text = (t, x, y, size = 11, font = regular) => page.drawText(t, { x, y, size, font });
  const money = (n) => n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  text("Contoso Ltd, 1 Market Street, Springfield", 72, 750, 9);
  text("Invoice", 72, 700, 26, bold);
  text("Invoice number:", 72, 660);
  text(INVOICE.number, 180, 660);
  text("Invoice date:", 72, 642);
  text("2 November 2026", 180, 642);
  text("Bill to:", 72, 624);
  text("Northwind Traders", 180, 624);
  const cols = [72, 330, 420];
  const headerY = 580;
  ["Description", "Quantity", "Amount"].forEach((h, i) => text(h, cols[i], headerY, 11, bold));
  page.drawLine({ start: { x: 72, y: headerY - 6 }, end: { x: 540, y: headerY - 6 }, thickness: 0.8 });
  INVOICE.items.forEach((it, r) => {
    const y = headerY - 26 - r * 20;
    text(it.description, cols[0], y);
    text(String(it.qty), cols[1], y);
    text(money(it.amount), cols[2], y);
  });
  const totalsY = headerY - 26 - INVOICE.items.length * 20 - 20;
  text("Subtotal:", 330, totalsY);
  text(money(INVOICE.subtotal), 420, totalsY);
  text("VAT 20%:", 330, totalsY - 18);
  text(money(INVOICE.vat), 420, totalsY - 18);
  text("Total due:", 330, totalsY - 36, 11, bold);
  text(money(INVOICE.total), 420, totalsY - 36, 11, bold);
  return pdf.save();
}
