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

/** One document of a generated bundle: a kind of paper, its page texts (title first on page 1). */
export interface BundleDoc {
  title: string;
  /** Lines of each page, after the title (page 1) or the running header (later pages). */
  pages: string[][];
  /** Running header on every page (a letterhead), e.g. the sender's name. */
  header: string;
}

/** A generated invoice: `number` on its first page, line items, a total; "Page i of n" footers. */
export function invoiceDoc(number: string, seller: string, pages = 2): BundleDoc {
  const items = ["Consulting services, 10 hours", "Travel expenses", "Software licence, annual", "Support contract"];
  return {
    title: "Invoice",
    header: seller,
    pages: Array.from({ length: pages }, (_, i) =>
      i === 0
        ? [
            `Invoice number: ${number}`,
            "Invoice date: 2026-11-02",
            "Bill to: Northwind Traders, 12 Harbour Road",
            "Description    Qty    Unit price    Amount",
            ...items.map((t, k) => `${t}    ${k + 1}    ${(k + 1) * 120}.00    ${(k + 1) ** 2 * 120}.00`),
          ]
        : [
            "Subtotal 3,600.00",
            "VAT 20% 720.00",
            "Total due 4,320.00",
            "Payment terms: 30 days. Please quote the invoice number with your payment.",
          ],
    ),
  };
}

/** A generated services agreement: parties, clauses, signatures. */
export function contractDoc(pages = 3): BundleDoc {
  const clauses = [
    "1. Definitions. In this Agreement the Services means the consulting services described in Schedule A.",
    "2. Term. This Agreement commences on the Effective Date and continues for twelve months unless terminated.",
    "3. Fees. The Client shall pay the fees set out in Schedule B within thirty days of each invoice.",
    "4. Confidentiality. Each party shall keep the other party's confidential information secret.",
    "5. Liability. Neither party limits its liability for death or personal injury caused by negligence.",
    "6. Termination. Either party may terminate this Agreement by giving ninety days written notice.",
    "7. Governing law. This Agreement is governed by the laws of England and Wales.",
    "8. Signatures. Signed by the authorised representatives of the parties on the dates below.",
  ];
  const per = Math.ceil(clauses.length / pages);
  return {
    title: "Services Agreement",
    header: "Services Agreement between Contoso Ltd and Northwind Traders",
    pages: Array.from({ length: pages }, (_, i) => [
      ...(i === 0 ? ["This Agreement is made between Contoso Ltd (the Provider) and Northwind Traders (the Client)."] : []),
      ...clauses.slice(i * per, (i + 1) * per),
    ]),
  };
}

/** A generated bank statement: account, balances, dated transactions. */
export function statementDoc(pages = 2): BundleDoc {
  const rows = (p: number) =>
    Array.from(
      { length: 8 },
      (_, k) =>
        `2026-10-${String(p * 8 + k + 1).padStart(2, "0")}    Card payment ${p * 8 + k + 1}    -${(k + 3) * 7}.50    ${9000 - (p * 8 + k) * 40}.25`,
    );
  return {
    title: "Account Statement",
    header: "First Harbour Bank",
    pages: Array.from({ length: pages }, (_, i) => [
      ...(i === 0
        ? ["Account number 12-3456-7890123", "Statement period 1 October 2026 to 31 October 2026", "Opening balance 9,120.25"]
        : []),
      "Date    Description    Debit    Balance",
      ...rows(i),
      ...(i === pages - 1 ? ["Closing balance 8,480.25"] : []),
    ]),
  };
}

/**
 * The documents one after another in one PDF, as a scanner's or mail room's bundle would be:
 * each keeps its own title, letterhead and "Page i of n" footer.
 */
export async function makeBundle(docs: BundleDoc[]): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  for (const d of docs) {
    d.pages.forEach((lines, i) => {
      const page = pdf.addPage([612, 792]);
      page.drawText(d.header, { x: 72, y: 760, size: 9, font: regular });
      let y = 700;
      if (i === 0) {
        page.drawText(d.title, { x: 72, y: 710, size: 24, font: bold });
        y = 670;
      }
      for (const line of lines) {
        page.drawText(line, { x: 72, y, size: 11, font: regular });
        y -= 18;
      }
      page.drawText(`Page ${i + 1} of ${d.pages.length}`, { x: 270, y: 40, size: 9, font: regular });
    });
  }
  return pdf.save();
}

// The invoice lives with the sample script, so the README's schema example and the tests read the same one.
export { INVOICE, makeInvoicePdf } from "../scripts/sample-invoice.mjs";
