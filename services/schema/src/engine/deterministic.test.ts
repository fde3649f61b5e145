import { describe, expect, it } from "vitest";
import { fillDeterministic } from "./deterministic.js";
import { makeExtraction, printedLines, row, type BlockSpec, type LineSpec } from "./fixtures.js";
import type { SchemaOutcome } from "@quire/json-schema";
import { checkInputSchema } from "@quire/json-schema";

const fill = (extraction: ReturnType<typeof makeExtraction>, schema: Record<string, unknown>, prompt?: string) =>
  fillDeterministic(extraction, checkInputSchema(schema), prompt);
const cited = (o: SchemaOutcome, pointer: string) => (o.citations[pointer] ?? []).map((c) => c.text).join(" | ");
const nullable = (type: string, extra: Record<string, unknown> = {}) => ({ type: [type, "null"], ...extra });

describe("fillDeterministic: an English invoice with a line-items table", () => {
  const extraction = makeExtraction([
    {
      blocks: [
        ["ACME Supplies Ltd", 0.08, 0.05, 0.35, 0.07, "heading"],
        ["12 Harbour Road London SW1A 2AA United Kingdom", 0.08, 0.075, 0.4, 0.09],
        ["INVOICE", 0.7, 0.05, 0.9, 0.08, "title"],
        ["Invoice No: INV-2024-0117", 0.6, 0.1, 0.92, 0.115],
        ["Invoice Date: 15/03/2024", 0.6, 0.12, 0.92, 0.135],
        ["Due Date: 14/04/2024", 0.6, 0.14, 0.92, 0.155],
        ["PO Number:", 0.6, 0.16, 0.75, 0.175],
        ["Notes: Deliver to the loading bay\nbehind the warehouse", 0.08, 0.7, 0.6, 0.73],
      ],
      tables: [
        {
          rows: [
            row(0.3, [
              ["Description", 0.08, 0.45],
              ["Qty", 0.45, 0.55],
              ["Unit Price", 0.55, 0.72],
              ["Amount", 0.72, 0.92],
            ]),
            row(0.32, [
              ["Steel bolts M8", 0.08, 0.45],
              ["100", 0.45, 0.55],
              ["£ 0.25", 0.55, 0.72],
              ["£ 25.00", 0.72, 0.92],
            ]),
            row(0.34, [
              ["Hex nuts M8", 0.08, 0.45],
              ["100", 0.45, 0.55],
              ["£ 0.10", 0.55, 0.72],
              ["£ 10.00", 0.72, 0.92],
            ]),
            row(0.36, [
              ["Assembly labour", 0.08, 0.45],
              ["2", 0.45, 0.55],
              ["£ 1,250.00", 0.55, 0.72],
              ["£ 2,500.00", 0.72, 0.92],
            ]),
            row(0.38, [["(two technicians)", 0.08, 0.45]]),
          ],
        },
        {
          rows: [
            row(0.5, [
              ["Subtotal", 0.55, 0.72],
              ["£ 2,535.00", 0.72, 0.92],
            ]),
            row(0.52, [
              ["VAT 20%", 0.55, 0.72],
              ["£ 507.00", 0.72, 0.92],
            ]),
            row(0.54, [
              ["Total", 0.55, 0.72],
              ["£ 3,042.00", 0.72, 0.92],
            ]),
          ],
        },
      ],
    },
  ]);
  const schema = {
    type: "object",
    properties: {
      invoice_number: { type: "string" },
      invoice_date: { type: "string", format: "date" },
      due_date: nullable("string", { format: "date" }),
      po_number: nullable("string"),
      subtotal: { type: "number" },
      tax: { type: "number" },
      total: { type: "number" },
      notes: nullable("string"),
      iban: nullable("string"),
      seller: { type: "object", properties: { name: nullable("string"), city: nullable("string"), postal_code: nullable("string") } },
      line_items: {
        type: "array",
        items: {
          type: "object",
          properties: {
            description: { type: "string" },
            quantity: { type: "integer" },
            unit_price: { type: "number" },
            amount: { type: "number" },
          },
        },
      },
    },
  };
  const outcome = fill(extraction, schema);

  it("reads labelled values, with dates in ISO and amounts as numbers", () => {
    expect(outcome.schema_output).toMatchObject({
      invoice_number: "INV-2024-0117",
      invoice_date: "2024-03-15",
      due_date: "2024-04-14",
      subtotal: 2535,
      tax: 507,
      total: 3042,
    });
    expect(outcome.validation).toEqual({ valid: true, errors: [] });
  });

  it("fills the line items from the table, a wrapped description row included", () => {
    expect(outcome.schema_output.line_items).toEqual([
      { description: "Steel bolts M8", quantity: 100, unit_price: 0.25, amount: 25 },
      { description: "Hex nuts M8", quantity: 100, unit_price: 0.1, amount: 10 },
      { description: "Assembly labour\n(two technicians)", quantity: 2, unit_price: 1250, amount: 2500 },
    ]);
    expect(cited(outcome, "/line_items/2/unit_price")).toBe("£ 1,250.00");
    expect(outcome.citations["/line_items/2/description"]?.map((c) => c.block_id)).toEqual(["p1-b9", "p1-b9"]);
  });

  it("cites the block or cell each value came from, which holds the value", () => {
    expect(cited(outcome, "/invoice_number")).toContain("INV-2024-0117");
    expect(cited(outcome, "/invoice_date")).toContain("15/03/2024");
    expect(cited(outcome, "/total")).toBe("£ 3,042.00");
    const [total] = outcome.citations["/total"] ?? [];
    expect(total).toMatchObject({ page: 1, block_id: "p1-b10", bbox: [0.72, 0.54, 0.92, 0.556] });
    for (const [pointer, confidence] of Object.entries(outcome.confidence)) {
      expect(outcome.citations[pointer]?.length, pointer).toBeGreaterThan(0);
      expect(confidence).toBeGreaterThan(0);
      expect(confidence).toBeLessThanOrEqual(1);
    }
  });

  it("joins a value written over two lines", () => {
    expect(outcome.schema_output.notes).toBe("Deliver to the loading bay behind the warehouse");
  });

  it("leaves null, uncited, what the document does not hold: a label without a value, a field never mentioned", () => {
    expect(outcome.schema_output.po_number).toBeNull();
    expect(outcome.schema_output.iban).toBeNull();
    expect(outcome.citations["/po_number"]).toBeUndefined();
    expect(outcome.citations["/iban"]).toBeUndefined();
  });

  it("fills a property about the document's title from its title block, cited, when no label names one", () => {
    const titled = fill(extraction, {
      type: "object",
      properties: { document_title: { type: "string", description: "the document's title" } },
    });
    expect(titled.schema_output.document_title).toBe("INVOICE");
    expect(cited(titled, "/document_title")).toBe("INVOICE");
    const untitled = makeExtraction([{ blocks: [["Invoice No: 17", 0.6, 0.1, 0.92, 0.115]] }]);
    expect(fill(untitled, { type: "object", properties: { title: nullable("string") } }).schema_output.title).toBeNull();
  });

  it("reads the seller's address block", () => {
    expect(outcome.schema_output.seller).toEqual({ name: "ACME Supplies Ltd", city: "London", postal_code: "SW1A 2AA" });
  });
});

describe("fillDeterministic: German labels, English property names", () => {
  const extraction = makeExtraction([
    {
      blocks: [
        ["Musterfirma GmbH", 0.08, 0.05, 0.4, 0.065],
        ["Hauptstraße 5", 0.08, 0.067, 0.4, 0.082],
        ["10115 Berlin", 0.08, 0.084, 0.4, 0.099],
        ["Rechnungsnummer: RE-2024-0042", 0.55, 0.15, 0.92, 0.165],
        ["Rechnungsdatum: 15.03.2024", 0.55, 0.17, 0.92, 0.185],
        ["Fälligkeitsdatum: 14. April 2024", 0.55, 0.19, 0.92, 0.205],
        ["Nettobetrag 1.037,44 €", 0.55, 0.6, 0.92, 0.615],
        ["MwSt. 19 % 197,11 €", 0.55, 0.62, 0.92, 0.635],
        ["Gesamtbetrag 1.234,55 €", 0.55, 0.64, 0.92, 0.655],
        ["Bezahlt: ja", 0.55, 0.66, 0.92, 0.675],
        ["IBAN: DE89 3704 0044 0532 0130 00", 0.08, 0.9, 0.6, 0.915],
      ],
    },
  ]);
  const outcome = fill(extraction, {
    type: "object",
    properties: {
      invoiceNumber: { type: "string" },
      invoiceDate: { type: "string", format: "date" },
      dueDate: { type: "string", format: "date" },
      netAmount: { type: "number" },
      vatAmount: { type: "number" },
      totalAmount: { type: "number" },
      paid: { type: "boolean" },
      iban: { type: "string" },
      supplier: {
        type: "object",
        properties: { name: { type: "string" }, street: { type: "string" }, zip: { type: "string" }, city: { type: "string" } },
      },
    },
  });

  it("matches compound labels and coerces German dates and amounts", () => {
    expect(outcome.schema_output).toEqual({
      invoiceNumber: "RE-2024-0042",
      invoiceDate: "2024-03-15",
      dueDate: "2024-04-14",
      netAmount: 1037.44,
      vatAmount: 197.11,
      totalAmount: 1234.55,
      paid: true,
      iban: "DE89 3704 0044 0532 0130 00",
      supplier: { name: "Musterfirma GmbH", street: "Hauptstraße 5", zip: "10115", city: "Berlin" },
    });
    expect(cited(outcome, "/totalAmount")).toContain("1.234,55 €");
    expect(cited(outcome, "/vatAmount")).toContain("197,11 €");
  });
});

describe("fillDeterministic: French labels on one line", () => {
  const extraction = makeExtraction([
    {
      blocks: [
        ["Facture", 0.4, 0.05, 0.6, 0.08, "title"],
        ["N° de facture : F-778", 0.08, 0.12, 0.4, 0.135],
        ["Date de facture : 3 mars 2024", 0.08, 0.14, 0.4, 0.155],
        ["Total HT : 2 000,00 € TVA 20 % : 400,00 € Total TTC : 2 400,00 €", 0.5, 0.6, 0.92, 0.62],
        ["Mode de règlement : Virement", 0.08, 0.7, 0.5, 0.715],
      ],
    },
  ]);
  const outcome = fill(extraction, {
    type: "object",
    properties: {
      invoice_number: { type: "string" },
      date: { type: "string", format: "date" },
      total: { type: "number" },
      subtotal: { type: "number" },
      tax: { type: "number" },
      payment_method: { type: "string", enum: ["carte", "virement", "chèque"] },
    },
  });

  it("tells net, tax and gross totals apart and honours the enum", () => {
    expect(outcome.schema_output).toEqual({
      invoice_number: "F-778",
      date: "2024-03-03",
      total: 2400,
      subtotal: 2000,
      tax: 400,
      payment_method: "virement",
    });
  });
});

describe("fillDeterministic: a form laid out by geometry", () => {
  const extraction = makeExtraction([
    {
      blocks: [
        ["Customer name", 0.08, 0.1, 0.3, 0.115],
        ["Jane Doe", 0.5, 0.1, 0.7, 0.115],
        ["Date of birth", 0.08, 0.12, 0.3, 0.135],
        ["1 May 1990", 0.5, 0.12, 0.7, 0.135],
        ["Order No: Customer No:", 0.08, 0.2, 0.6, 0.215],
        ["12345 67890", 0.08, 0.22, 0.6, 0.235],
        ["Newsletter: ☑", 0.08, 0.3, 0.4, 0.315],
        ["Discount: 12.5 %", 0.08, 0.32, 0.4, 0.335],
      ],
    },
  ]);
  const outcome = fill(extraction, {
    type: "object",
    properties: {
      customer_name: { type: "string" },
      date_of_birth: { type: "string", format: "date" },
      order_number: { type: "string" },
      customer_number: { type: "integer" },
      newsletter: { type: "boolean" },
      discount_percent: { type: "number" },
      email: nullable("string", { format: "email" }),
    },
  });

  it("pairs labels with the block to their right and a row of labels with the row of values below", () => {
    expect(outcome.schema_output).toEqual({
      customer_name: "Jane Doe",
      date_of_birth: "1990-05-01",
      order_number: "12345",
      customer_number: 67890,
      newsletter: true,
      discount_percent: 12.5,
      email: null,
    });
    expect(cited(outcome, "/customer_name")).toBe("Jane Doe");
    expect(cited(outcome, "/customer_number")).toBe("12345 67890");
  });
});

describe("fillDeterministic: dates", () => {
  const extraction = makeExtraction([{ blocks: [["Date: 04/05/2024", 0.1, 0.1, 0.4, 0.115]] }]);
  const schema = { type: "object", properties: { date: { type: "string", format: "date" } } };

  it("reads an ambiguous numeric date day first unless the prompt says month first", () => {
    expect(fill(extraction, schema).schema_output.date).toBe("2024-05-04");
    expect(fill(extraction, schema, "dates are written MM/DD/YYYY").schema_output.date).toBe("2024-04-05");
  });
});

describe("fillDeterministic: line items laid out as separate blocks", () => {
  // The extraction broke the table apart: titles in one block, a names column as one block
  // of lines, numbers per row in blocks of their own.
  const extraction = makeExtraction([
    {
      blocks: [
        ["Artikel", 0.08, 0.3, 0.2, 0.315, "heading"],
        ["Aantal Prijs per stuk Bedrag", 0.5, 0.3, 0.92, 0.315],
        ["Bureaustoel\nBureaulamp\nKabelgoot", 0.08, 0.32, 0.4, 0.38],
        ["1 € 149,00 € 149,00", 0.5, 0.32, 0.92, 0.335],
        ["2 € 24,95 € 49,90", 0.5, 0.34, 0.92, 0.355],
        ["3 € 5,00 € 15,00", 0.5, 0.36, 0.92, 0.375],
        ["Totaal € 213,90", 0.5, 0.42, 0.92, 0.435],
      ],
    },
  ]);
  const outcome = fill(extraction, {
    type: "object",
    properties: {
      total: { type: "number" },
      items: {
        type: "array",
        items: {
          type: "object",
          properties: { name: { type: "string" }, qty: { type: "number" }, unit_price: { type: "number" }, line_total: { type: "number" } },
        },
      },
    },
  });

  it("rebuilds the rows from geometry, one line of the names block per row, citing the block", () => {
    expect(outcome.schema_output).toEqual({
      total: 213.9,
      items: [
        { name: "Bureaustoel", qty: 1, unit_price: 149, line_total: 149 },
        { name: "Bureaulamp", qty: 2, unit_price: 24.95, line_total: 49.9 },
        { name: "Kabelgoot", qty: 3, unit_price: 5, line_total: 15 },
      ],
    });
    expect(outcome.citations["/items/1/name"]?.[0]).toMatchObject({
      block_id: "p1-b3",
      text: "Bureaustoel\nBureaulamp\nKabelgoot",
      bbox: [0.08, 0.32, 0.4, 0.38],
    });
  });
});

describe("fillDeterministic: item names in paragraph blocks whose lines the extraction joined", () => {
  // Extract joins a block's lines with spaces and gives each printed line with its box: here
  // four names in one block, one row each; a name wrapped onto a second line (it ran into the
  // quantity column); a name with a note on its own line under it (a deliberate break).
  const CHAR = 0.0084;
  const line = (text: string, y: number): LineSpec => [text, 0.08, y, 0.08 + text.length * CHAR, y + 0.015];
  const extraction = makeExtraction([
    {
      blocks: [
        ["Description", 0.08, 0.3, 0.18, 0.315, "heading"],
        ["Qty Unit price Amount", 0.55, 0.3, 0.92, 0.315],
        printedLines([line("Office chair", 0.32), line("Desk lamp", 0.34), line("Cable tray", 0.36), line("Monitor arm", 0.38)]),
        printedLines([line("Standing desk, oak veneer top, electric height", 0.4), line("adjustment", 0.417)]),
        printedLines([line("Desk mat", 0.44), line("Colour: dark grey", 0.457)]),
        ["1 € 149,00 € 149,00", 0.55, 0.32, 0.92, 0.335],
        ["2 € 24,95 € 49,90", 0.55, 0.34, 0.92, 0.355],
        ["3 € 5,00 € 15,00", 0.55, 0.36, 0.92, 0.375],
        ["1 € 39,95 € 39,95", 0.55, 0.38, 0.92, 0.395],
        ["1 € 499,00 € 499,00", 0.55, 0.4, 0.92, 0.415],
        ["1 € 19,50 € 19,50", 0.55, 0.44, 0.92, 0.455],
        ["Total € 772,35", 0.55, 0.5, 0.92, 0.515],
      ],
    },
  ]);
  const schema = {
    type: "object",
    properties: {
      total: { type: "number" },
      items: {
        type: "array",
        items: {
          type: "object",
          properties: { name: { type: "string" }, qty: { type: "number" }, unit_price: { type: "number" }, line_total: { type: "number" } },
        },
      },
    },
  };
  const outcome = fill(extraction, schema);

  it("gives each printed line of a names block the row it sits on", () => {
    expect(outcome.schema_output.total).toBe(772.35);
    expect(outcome.schema_output.items).toEqual([
      { name: "Office chair", qty: 1, unit_price: 149, line_total: 149 },
      { name: "Desk lamp", qty: 2, unit_price: 24.95, line_total: 49.9 },
      { name: "Cable tray", qty: 3, unit_price: 5, line_total: 15 },
      { name: "Monitor arm", qty: 1, unit_price: 39.95, line_total: 39.95 },
      { name: "Standing desk, oak veneer top, electric height adjustment", qty: 1, unit_price: 499, line_total: 499 },
      { name: "Desk mat", qty: 1, unit_price: 19.5, line_total: 19.5 },
    ]);
  });

  it("cites the whole block, once, for a name read from its lines", () => {
    expect(outcome.citations["/items/1/name"]).toEqual([
      { page: 1, block_id: "p1-b3", text: "Office chair Desk lamp Cable tray Monitor arm", bbox: [0.08, 0.32, 0.08 + 12 * CHAR, 0.395] },
    ]);
    expect(outcome.citations["/items/4/name"]?.map((c) => [c.block_id, c.text])).toEqual([
      ["p1-b4", "Standing desk, oak veneer top, electric height adjustment"],
    ]);
  });

  it("without the lines (an older extraction), leaves the joined names out rather than guess", () => {
    const bare = makeExtraction([{ blocks: (extraction.pages[0]?.blocks ?? []).map((b): BlockSpec => [b.text, ...b.bbox, b.type]) }]);
    const items = fill(bare, schema).schema_output.items as Array<Record<string, unknown>>;
    expect(items.map((i) => i.qty)).toEqual([1, 2, 3, 1, 1, 1]);
    expect(items.slice(0, 4).map((i) => i.name)).toEqual([null, null, null, null]);
  });
});

describe("fillDeterministic: arrays of scalars", () => {
  it("collects every distinct self-evident value, each cited", () => {
    const extraction = makeExtraction([
      {
        blocks: [
          ["Contact: sales@acme.test, billing@acme.test", 0.1, 0.1, 0.6, 0.115],
          ["Support: sales@acme.test", 0.1, 0.12, 0.6, 0.135],
        ],
      },
    ]);
    const outcome = fill(extraction, {
      type: "object",
      properties: { emails: { type: "array", items: { type: "string", format: "email" } } },
    });
    expect(outcome.schema_output.emails).toEqual(["sales@acme.test", "billing@acme.test"]);
    expect(cited(outcome, "/emails/1")).toContain("billing@acme.test");
  });
});
