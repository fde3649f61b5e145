import { describe, expect, it } from "vitest";
import { findKeyValue } from "./partition-key.js";

const value = (lines: string[], key = "invoice number") => findKeyValue(lines, key)?.value;

describe("findKeyValue", () => {
  it("reads the value after a label spelled in the usual ways", () => {
    expect(value(["Invoice number: INV-1042"])).toBe("INV-1042");
    expect(value(["Invoice No. 42, dated 2 March"])).toBe("42");
    expect(value(["Invoice #: 7"])).toBe("7");
    expect(value(["INVOICE NR 2026/0031."])).toBe("2026/0031");
    expect(value(["Customer: Contoso", "Invoice-Number", "A-17"])).toBe("A-17");
  });
  it("reads a heading with the number on a following line", () => {
    expect(value(["INVOICE", "someone@example.com", "# inv_7"])).toBe("inv_7");
  });
  it("falls back to the main word followed by an identifier on the same line", () => {
    expect(value(["Invoice INV/2023/03/0008", "Invoice Date: 03/20/2023"])).toBe("INV/2023/03/0008");
  });
  it("does not take the next label, a date label or part of an e-mail address", () => {
    expect(value(["Invoice date: 2026-01-01"])).toBeUndefined();
    expect(value(["INVOICE", "billing4@example.com"])).toBeUndefined();
    expect(value(["Invoice number", "Date"])).toBeUndefined();
  });
  it("works for other keys", () => {
    expect(value(["Account number 12345678 · IBAN GB29"], "account number")).toBe("12345678");
    expect(value(["Policy ID: P-99812"], "policy id")).toBe("P-99812");
  });
});
