import { describe, expect, it } from "vitest";
import { isQuireError } from "@quire/runtime";
import { checkInputSchema, validateOutput } from "./validate-schema.js";

/** The QuireError a schema check throws (fails the test when it does not throw). */
function refusal(schema: unknown): { code: string; message: string; pointer: unknown } {
  try {
    checkInputSchema(schema);
  } catch (err) {
    if (!isQuireError(err)) throw err;
    return { code: err.code, message: err.message, pointer: err.details.pointer };
  }
  throw new Error("the schema was accepted");
}

const invoice = {
  type: "object",
  properties: {
    invoice_number: { type: "string", description: "as printed" },
    total: { type: "number" },
    date: { type: ["string", "null"], format: "date" },
    status: { enum: ["paid", "open"] },
    line_items: {
      type: "array",
      items: { type: "object", properties: { description: { type: "string" }, amount: { type: "number" } }, required: ["amount"] },
    },
    tags: { type: "array", items: { type: "string" } },
    seller: { type: "object", properties: { name: { type: "string" }, vat: { anyOf: [{ type: "string" }, { type: "null" }] } } },
  },
  required: ["invoice_number"],
};

describe("checkInputSchema", () => {
  it("accepts nested objects, arrays of objects and scalars, nullable types, formats and enums (2020-12 by default)", () => {
    const checked = checkInputSchema(invoice);
    expect(checked.dialect).toBe("2020-12");
    expect(checked.root.properties.map(([name]) => name)).toEqual([
      "invoice_number",
      "total",
      "date",
      "status",
      "line_items",
      "tags",
      "seller",
    ]);
    const seller = checked.root.properties[6]?.[1];
    expect(seller?.kind === "object" && seller.properties[1]?.[1].nullable).toBe(true);
  });

  it("chooses draft-07 by $schema and resolves local $ref", () => {
    const checked = checkInputSchema({
      $schema: "http://json-schema.org/draft-07/schema#",
      definitions: { money: { type: "number", description: "an amount" } },
      type: "object",
      properties: { total: { $ref: "#/definitions/money" } },
    });
    expect(checked.dialect).toBe("draft-07");
    expect(checked.root.properties[0]?.[1]).toMatchObject({ kind: "scalar", type: "number", description: "an amount" });
  });

  it("names the pointer of an unsupported type", () => {
    expect(refusal({ type: "object", properties: { total: { type: "money" } } })).toMatchObject({
      code: "INVALID_SCHEMA",
      pointer: "/properties/total/type",
    });
  });

  it.each([
    [{ type: "object", patternProperties: { "^x": { type: "string" } } }, "/patternProperties"],
    [{ type: "object", properties: { a: { $ref: "https://example.com/s.json" } } }, "/properties/a/$ref"],
    [{ type: "object", properties: { a: { oneOf: [{ type: "string" }, { type: "number" }] } } }, "/properties/a/oneOf"],
    [{ type: "object", properties: { a: { type: "string", format: "uuid" } } }, "/properties/a/format"],
    [{ type: "object", properties: { a: { type: ["string", "number"] } } }, "/properties/a/type"],
    [{ type: "object", properties: { a: { type: "array", items: { type: "array", items: { type: "string" } } } } }, "/properties/a/items"],
    [
      {
        type: "object",
        properties: { a: { $ref: "#/$defs/a" } },
        $defs: { a: { type: "object", properties: { b: { $ref: "#/$defs/a" } } } },
      },
      "/$defs/a/properties/b/$ref",
    ],
    [{ type: "array", items: { type: "string" } }, "/type"],
    [{ $schema: "https://json-schema.org/draft/2019-09/schema", type: "object", properties: { a: { type: "string" } } }, "/$schema"],
    [{ type: "object", properties: { a: { type: "string", minLenght: 3 } } }, "/properties/a/minLenght"],
  ])("refuses %j at its pointer", (schema, pointer) => {
    const r = refusal(schema);
    expect(r.code).toBe("INVALID_SCHEMA");
    expect(r.pointer).toBe(pointer);
    expect(r.message).toContain(pointer);
  });

  it("refuses a schema over 64 KiB of JSON", () => {
    const properties = Object.fromEntries(
      Array.from({ length: 400 }, (_, i) => [`field_${i}`, { type: "string", description: "x".repeat(200) }]),
    );
    expect(refusal({ type: "object", properties })).toMatchObject({ code: "INVALID_SCHEMA", pointer: "" });
  });

  it("refuses more than 8 levels of nesting", () => {
    let node: Record<string, unknown> = { type: "string" };
    for (let i = 0; i < 8; i++) node = { type: "object", properties: { child: node } };
    const r = refusal(node);
    expect(r.code).toBe("INVALID_SCHEMA");
    expect(r.pointer).toBe(`${"/properties/child".repeat(8)}`);
  });

  it("refuses more than 500 properties", () => {
    const properties = Object.fromEntries(Array.from({ length: 501 }, (_, i) => [`f${i}`, { type: "string" }]));
    expect(refusal({ type: "object", properties })).toMatchObject({ code: "INVALID_SCHEMA", pointer: "/properties/f500" });
  });

  it("refuses a value that is not a schema object", () => {
    expect(refusal("not a schema")).toMatchObject({ code: "INVALID_SCHEMA", pointer: "" });
  });
});

describe("validateOutput", () => {
  it("reports JSON pointers into the output", () => {
    const checked = checkInputSchema(invoice);
    const result = validateOutput(checked, {
      total: "12",
      date: "2024-13-40",
      line_items: [{ description: "x" }],
      seller: { name: "A", vat: null },
    });
    expect(result.valid).toBe(false);
    expect(result.errors.map((e) => e.pointer).sort()).toEqual(["/date", "/invoice_number", "/line_items/0/amount", "/total"]);
  });

  it("accepts a conforming output", () => {
    const checked = checkInputSchema(invoice);
    expect(
      validateOutput(checked, {
        invoice_number: "1",
        total: 1,
        date: null,
        status: "paid",
        line_items: [],
        tags: [],
        seller: { name: "A", vat: null },
      }),
    ).toEqual({ valid: true, errors: [] });
  });

  it("takes null as 'not in the document': valid for an optional property of any type, an error naming a required one", () => {
    const checked = checkInputSchema({
      type: "object",
      required: ["number", "nullable"],
      properties: {
        number: { type: "string" },
        due: { type: "string", format: "date" },
        total: { type: "number" },
        nullable: { type: ["string", "null"] },
        items: {
          type: "array",
          items: { type: "object", required: ["amount"], properties: { amount: { type: "number" }, note: { type: "string" } } },
        },
      },
    });
    const ok = validateOutput(checked, { number: "7", due: null, total: null, nullable: null, items: [{ amount: 1, note: null }] });
    expect(ok).toEqual({ valid: true, errors: [] });
    const missing = validateOutput(checked, { number: null, due: null, total: "x", nullable: null, items: [{ amount: null }] });
    expect(missing.valid).toBe(false);
    expect(missing.errors.map((e) => e.pointer).sort()).toEqual(["/items/0/amount", "/number", "/total"]);
    expect(missing.errors.find((e) => e.pointer === "/number")?.message).toMatch(/required, but the document does not hold a value/);
    expect(missing.errors.find((e) => e.pointer === "/total")?.message).toBe("must be number");
  });
});
