import { describe, expect, it } from "vitest";
import { formatRanges, PageSelectionError, parsePageSelection, resolvePages } from "./page-selection.js";

describe("parsePageSelection", () => {
  it("reads pages and ranges, with spaces allowed", () => {
    expect(parsePageSelection("1-3,7")).toEqual([
      { from: 1, to: 3 },
      { from: 7, to: 7 },
    ]);
    expect(parsePageSelection(" 2 , 4 - 5 ")).toEqual([
      { from: 2, to: 2 },
      { from: 4, to: 5 },
    ]);
  });

  it("treats an empty or blank selection as all pages", () => {
    expect(parsePageSelection("")).toEqual([]);
    expect(parsePageSelection("   ")).toEqual([]);
    expect(resolvePages([], 3)).toEqual([1, 2, 3]);
  });

  it.each([
    ["first", /"first".*not a page or a range/],
    ["1-", /"1-"/],
    ["1,,2", /"" in "1,,2"/],
    ["0", /start at 1/],
    ["5-2", /runs backwards; write it as "2-5"/],
    ["1.5", /not a page or a range/],
    ["-3", /not a page or a range/],
  ])("rejects %j with a message that says what is wrong", (spec, message) => {
    const fn = () => parsePageSelection(spec);
    expect(fn).toThrow(PageSelectionError);
    expect(fn).toThrow(message);
  });

  it("rejects absurdly long selections", () => {
    expect(() => parsePageSelection("1,".repeat(600))).toThrow(/longer than 1000/);
  });

  it("gives INVALID_ARGUMENT as the error code", () => {
    try {
      parsePageSelection("x");
      expect.unreachable();
    } catch (err) {
      expect((err as PageSelectionError).code).toBe("INVALID_ARGUMENT");
    }
  });
});

describe("resolvePages", () => {
  it("expands, sorts and de-duplicates", () => {
    expect(resolvePages(parsePageSelection("7,1-3,2"), 10)).toEqual([1, 2, 3, 7]);
  });

  it("refuses pages past the end, naming the page and the count", () => {
    expect(() => resolvePages(parsePageSelection("1-3,12"), 10)).toThrow(/page 12 is out of range; the document has 10 pages/);
    expect(() => resolvePages(parsePageSelection("2"), 1)).toThrow(/has 1 page$/);
  });

  it("fails fast on a huge range instead of expanding it", () => {
    expect(() => resolvePages(parsePageSelection("1-9999999"), 3)).toThrow(/out of range/);
  });
});

describe("formatRanges", () => {
  it("normalizes equivalent selections to one form", () => {
    expect(formatRanges(parsePageSelection("3,1,2,7,8-9"))).toBe("1-3,7-9");
    expect(formatRanges(parsePageSelection("1-3,2-4"))).toBe("1-4");
    expect(formatRanges(parsePageSelection(""))).toBe("");
  });
});
