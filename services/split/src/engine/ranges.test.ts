import { describe, expect, it } from "vitest";
import { fromRanges, toRanges } from "./ranges.js";

describe("toRanges", () => {
  it("writes runs as a-b and lone pages alone", () => {
    expect(toRanges([1, 2, 3, 7])).toBe("1-3,7");
    expect(toRanges([7, 3, 1, 2, 2])).toBe("1-3,7");
    expect(toRanges([4])).toBe("4");
    expect(toRanges([])).toBe("");
    expect(toRanges([1, 3, 5, 6])).toBe("1,3,5-6");
  });
  it("round-trips with fromRanges", () => {
    expect(fromRanges("1-3,7")).toEqual([1, 2, 3, 7]);
    expect(fromRanges(toRanges([2, 9, 10, 11]))).toEqual([2, 9, 10, 11]);
    expect(fromRanges("")).toEqual([]);
    expect(() => fromRanges("3-1")).toThrow();
    expect(() => fromRanges("a")).toThrow();
  });
});
