import { describe, expect, it } from "vitest";
import { findBoolean, findDates, findNumbers, inferDateOrder, interpretNumber } from "./coerce.js";

describe("findNumbers", () => {
  it.each([
    ["1.234,56 €", 1234.56, "€"],
    ["$1,234.56", 1234.56, "$"],
    ["12 345,00 EUR", 12345, "EUR"],
    ["CHF 1'250.50", 1250.5, "CHF"],
    ["€ -9,32", -9.32, "€"],
    ["593,36", 593.36, undefined],
    ["0,750", 0.75, undefined],
    ["1.000", 1000, undefined],
  ])("reads %s", (text, value, currency) => {
    const [hit] = findNumbers(text);
    expect(hit?.value).toBe(value);
    expect(hit?.currency).toBe(currency);
  });

  it("marks percentages and skips digits inside identifiers", () => {
    expect(findNumbers("TVA 20 % : 9,34 €").map((h) => [h.value, h.percent])).toEqual([
      [20, true],
      [9.34, false],
    ]);
    expect(findNumbers("INV/2023/03/0008 NL810433941B01 US1234567890")).toEqual([]);
  });

  it("reads either decimal separator", () => {
    expect(interpretNumber("1,5")).toBe(1.5);
    expect(interpretNumber("1.234.567,8")).toBe(1234567.8);
    expect(interpretNumber("1,234,567.8")).toBe(1234567.8);
  });
});

describe("findDates", () => {
  it.each([
    ["15.03.2024", "2024-03-15"],
    ["2024-03-15", "2024-03-15"],
    ["15 mars 2024", "2024-03-15"],
    ["15. März 2024", "2024-03-15"],
    ["March 15, 2024", "2024-03-15"],
    ["15 maart 2024", "2024-03-15"],
    ["15 de marzo de 2024", "2024-03-15"],
    ["1er avril 2024", "2024-04-01"],
    ["Jan 1, 2022", "2022-01-01"],
    ["28/11/22", "2022-11-28"],
  ])("reads %s as %s", (text, iso) => {
    expect(findDates(text)[0]?.iso).toBe(iso);
  });

  it("reads numeric dates in the document's order, and a date that allows one reading that way", () => {
    expect(findDates("03/04/2024", "mdy")[0]?.iso).toBe("2024-03-04");
    expect(findDates("03/04/2024", "dmy")[0]?.iso).toBe("2024-04-03");
    expect(findDates("03/20/2024", "dmy")[0]?.iso).toBe("2024-03-20");
    expect(findDates("31/02/2024")).toEqual([]);
  });

  it("keeps a time and its zone", () => {
    expect(findDates("2024-03-15 14:05 UTC")[0]).toMatchObject({ iso: "2024-03-15", time: "14:05:00", zone: "Z" });
  });
});

describe("inferDateOrder", () => {
  it("decides by an unambiguous date, else by the currency", () => {
    expect(inferDateOrder(["03/20/2024", "04/04/2024"])).toBe("mdy");
    expect(inferDateOrder(["20/03/2024"])).toBe("dmy");
    expect(inferDateOrder(["04/04/2024 $ 12.00"])).toBe("mdy");
    expect(inferDateOrder(["04/04/2024 12,00 €"])).toBe("dmy");
  });
});

describe("findBoolean", () => {
  it.each([
    ["☑", true],
    ["[x]", true],
    ["☐", false],
    ["ja", true],
    ["non", false],
    ["Yes", true],
  ])("reads %s", (text, value) => {
    expect(findBoolean(text)?.value).toBe(value);
  });
});
