import { describe, expect, it } from "vitest";
import { splitDeterministic } from "./deterministic.js";
import { extractionFromPages, type FixturePage } from "./fixtures.js";
import type { SplitOutcome, SplitRequest } from "./types.js";

const INVOICE = { name: "invoice", description: "Invoice: a bill listing items, quantities, amounts, tax and a total due" };
const CONTRACT = {
  name: "contract",
  description: "Contract: an agreement between parties with terms, obligations, termination and governing law",
};
const STATEMENT = {
  name: "bank statement",
  description: "Bank statement: an account's transactions with dates, debits, credits and balances",
};

function invoice(number: string, pages: number, vendor = "Northwind Supplies Ltd"): FixturePage[] {
  return Array.from({ length: pages }, (_, k) => ({
    lines: [
      ...(k === 0
        ? ["# INVOICE", `Invoice number: ${number}`, "Invoice date: 2026-03-02", "Bill to: Contoso GmbH, Hauptstrasse 5, Berlin"]
        : ["## Items (continued)"]),
      "Item Description Quantity Unit price Amount",
      "Office chairs, ergonomic 4 120.00 480.00 Desk lamps 10 25.00 250.00 Shipping 1 40.00 40.00",
      ...(k === pages - 1
        ? ["Subtotal 770.00 VAT 20% 154.00 Total due 924.00", "Payment terms: 30 days. Please quote the invoice number with your payment."]
        : []),
      `_ ${vendor} · VAT GB123456789`,
      `@ Page ${k + 1} of ${pages}`,
    ],
  }));
}

function contract(pages: number): FixturePage[] {
  const body = [
    "This agreement is made between the parties named below. Each party shall perform its obligations under this agreement.",
    "The term of this agreement is two years. Either party may terminate on ninety days written notice; termination does not end accrued obligations.",
    "Confidentiality: the parties keep each other's information secret. Liability of either party is limited to the fees paid.",
    "This agreement is governed by the law of England and Wales. Signed by the parties on the date written below.",
  ];
  return Array.from({ length: pages }, (_, k) => ({
    lines: [
      ...(k === 0 ? ["# Master Services Agreement"] : []),
      `## ${k + 1}. Clauses`,
      body[k % body.length]!,
      body[(k + 1) % body.length]!,
      "^ Master Services Agreement",
      `@ ${k + 1}`,
    ],
  }));
}

function statement(pages: number): FixturePage[] {
  return Array.from({ length: pages }, (_, k) => ({
    lines: [
      ...(k === 0
        ? [
            "# Account statement",
            "Account number 12345678 · IBAN GB29 NWBK 6016 1331 9268 19",
            "Statement period 1 March to 31 March",
            "Opening balance 2,400.00",
          ]
        : []),
      "Date Description Debit Credit Balance",
      "03 Mar Card payment grocery 54.20 2,345.80 05 Mar Salary 3,100.00 5,445.80 09 Mar Rent transfer 1,200.00 4,245.80",
      "12 Mar Direct debit electricity 88.00 4,157.80 20 Mar Cash withdrawal 100.00 4,057.80",
      ...(k === pages - 1 ? ["Closing balance 4,057.80"] : []),
      "^ First Harbour Bank plc",
      `@ ${k + 1}/${pages}`,
    ],
    width: 595,
    height: 842,
  }));
}

function split(pages: FixturePage[], sections: SplitRequest["sections"]): SplitOutcome {
  return splitDeterministic(extractionFromPages(pages), { sections });
}

const section = (out: SplitOutcome, name: string) => {
  const s = out.splits.find((x) => x.name === name);
  if (!s) throw new Error(`no section ${name}`);
  return s;
};

/** Every answer: each page once at most, ascending lists, unassigned = the rest. */
function expectWellFormed(out: SplitOutcome, pageCount: number): void {
  const seen = new Set<number>();
  for (const s of out.splits) {
    expect(s.pages).toEqual([...s.pages].sort((a, b) => a - b));
    for (const p of s.pages) {
      expect(seen.has(p)).toBe(false);
      seen.add(p);
    }
    expect(s.confidence).toBeGreaterThanOrEqual(0);
    expect(s.confidence).toBeLessThanOrEqual(1);
  }
  const rest = Array.from({ length: pageCount }, (_, i) => i + 1).filter((p) => !seen.has(p));
  expect(out.unassigned_pages).toEqual(rest);
}

describe("splitDeterministic", () => {
  it("assigns three documents of different kinds to their sections", () => {
    const pages = [...invoice("INV-1042", 2), ...contract(3), ...statement(2)];
    const out = split(pages, [INVOICE, CONTRACT, STATEMENT]);
    expectWellFormed(out, 7);
    expect(section(out, "invoice").page_ranges).toBe("1-2");
    expect(section(out, "contract").page_ranges).toBe("3-5");
    expect(section(out, "bank statement").page_ranges).toBe("6-7");
    expect(out.unassigned_pages).toEqual([]);
    expect(section(out, "invoice").reason).toMatch(/^matched '.+' on pages 1-2/u);
    expect(section(out, "invoice").confidence).toBeGreaterThan(0.5);
  });

  it("gives a section several ranges when its documents are apart", () => {
    const pages = [...invoice("INV-1", 2), ...contract(2), ...invoice("INV-2", 1, "Fabrikam Trading")];
    const out = split(pages, [INVOICE, CONTRACT]);
    expectWellFormed(out, 5);
    expect(section(out, "invoice").pages).toEqual([1, 2, 5]);
    expect(section(out, "invoice").page_ranges).toBe("1-2,5");
    expect(section(out, "contract").page_ranges).toBe("3-4");
  });

  it("starts a document at a page-number reset even when its first page says nothing", () => {
    // Same footer, size and no title throughout: only "Page 1 of 2" tells the cover is not the invoice's third page.
    const footer = "_ Confidential";
    const inv = (k: number): FixturePage => ({
      lines: [
        ...(k === 1 ? ["Invoice number: INV-9", "Bill to: Contoso GmbH"] : ["Items continued"]),
        "Item Description Quantity Unit price Amount",
        "Office chairs 4 120.00 480.00 Desk lamps 10 25.00 250.00",
        ...(k === 2 ? ["Subtotal 730.00 VAT 20% 146.00 Total due 876.00"] : []),
        footer,
        `@ Page ${k} of 2`,
      ],
    });
    const cover = (numbered: boolean): FixturePage => ({
      lines: ["Prepared for Ms J. Smith, 12 Rose Lane, Bristol", footer, ...(numbered ? ["@ Page 1 of 2"] : [])],
    });
    const body = (numbered: boolean): FixturePage => ({
      lines: [
        "Bank statement · Date Description Debit Credit Balance",
        "03 Mar Card payment 54.20 2,345.80 05 Mar Salary 3,100.00 5,445.80",
        "Closing balance 4,057.80",
        footer,
        ...(numbered ? ["@ Page 2 of 2"] : []),
      ],
    });
    const numbered = split([inv(1), inv(2), cover(true), body(true)], [INVOICE, STATEMENT]);
    expectWellFormed(numbered, 4);
    expect(section(numbered, "invoice").page_ranges).toBe("1-2");
    expect(section(numbered, "bank statement").page_ranges).toBe("3-4");
    expect(section(numbered, "bank statement").reason).toContain("boundary at page 3: 'Page 1 of 2' reset");
    // The same bundle without page numbers: nothing says where the statement starts, and the cover is not given to it.
    const bare = split([inv(1), inv(2), cover(false), body(false)], [INVOICE, STATEMENT]);
    expect(section(bare, "bank statement").pages).not.toContain(3);
  });

  it("leaves a document no section matches unassigned", () => {
    const recipe: FixturePage = {
      lines: [
        "# Grandmother's apple crumble",
        "Peel and slice six apples into a dish. Rub butter into flour and sugar until it looks like breadcrumbs.",
        "Scatter over the fruit and bake for forty minutes until golden. Serve warm with custard.",
      ],
      width: 420,
      height: 595,
    };
    const out = split([...invoice("INV-5", 1), recipe, ...contract(2)], [INVOICE, CONTRACT]);
    expectWellFormed(out, 4);
    expect(out.unassigned_pages).toEqual([2]);
    expect(section(out, "invoice").pages).toEqual([1]);
    expect(section(out, "contract").pages).toEqual([3, 4]);
  });

  it("keeps a blank page with the document before it", () => {
    const out = split([...contract(2), { lines: [] }, ...invoice("INV-6", 1)], [INVOICE, CONTRACT]);
    expectWellFormed(out, 4);
    expect(section(out, "contract").page_ranges).toBe("1-3");
    expect(section(out, "invoice").page_ranges).toBe("4");
  });

  it("makes each invoice of a section its own partition, keyed by its number", () => {
    const pages = [...invoice("INV-1042", 2), ...invoice("INV-1043", 1), ...contract(2)];
    const out = split(pages, [{ ...INVOICE, partition_key: "invoice number" }, CONTRACT]);
    expectWellFormed(out, 5);
    const inv = section(out, "invoice");
    expect(inv.page_ranges).toBe("1-3");
    expect(inv.partitions).toEqual([
      { key: "INV-1042", pages: [1, 2], page_ranges: "1-2" },
      { key: "INV-1043", pages: [3], page_ranges: "3" },
    ]);
    expect(section(out, "contract").partitions).toBeUndefined();
  });

  it('gives a partition key "" when no value is printed', () => {
    const pages = invoice("X", 1).map((p) => ({ ...p, lines: p.lines.filter((l) => !l.startsWith("Invoice number")) }));
    const out = split([...pages, ...contract(1)], [{ ...INVOICE, partition_key: "invoice number" }, CONTRACT]);
    expect(section(out, "invoice").partitions).toEqual([{ key: "", pages: [1], page_ranges: "1" }]);
  });

  it("gives no pages to a section nothing matches", () => {
    const out = split(
      [...invoice("INV-7", 1), ...contract(2)],
      [INVOICE, CONTRACT, { name: "medical record", description: "Patient chart: diagnosis, prescriptions, allergies and vital signs" }],
    );
    expectWellFormed(out, 3);
    const med = section(out, "medical record");
    expect(med.pages).toEqual([]);
    expect(med.page_ranges).toBe("");
    expect(med.confidence).toBe(0);
    expect(med.reason).toMatch(/no (document matched|page shares)/u);
  });

  it("answers every section, in the request's order, for an empty bundle too", () => {
    const out = splitDeterministic({ pages: [], page_count: 0 }, { sections: [INVOICE, CONTRACT] });
    expect(out.splits.map((s) => s.name)).toEqual(["invoice", "contract"]);
    expect(out.unassigned_pages).toEqual([]);
  });

  it("matches words across case, accents and plural forms", () => {
    const out = split(
      [{ lines: ["# FACTURES", "Récapitulatif des factures du mois"] }, ...contract(2)],
      [{ name: "invoices", description: "Factures: bills with totals" }, CONTRACT],
    );
    expect(section(out, "invoices").pages).toEqual([1]);
  });
});
