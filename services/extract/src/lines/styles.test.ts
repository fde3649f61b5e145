import { describe, expect, it } from "vitest";
import { item } from "../../test/page-builder.js";
import { buildLine, type Line } from "./lines.js";
import { analyzeStyle, headingLevel } from "./styles.js";

const line = (text: string, size: number, bold = false): Line => buildLine([item(text, 72, 100, { size, bold })]);
const body = (n: number): Line[] => Array.from({ length: n }, () => line("x".repeat(60), 10));

describe("analyzeStyle", () => {
  it("takes the body size from characters, not lines, and ranks heading sizes largest first", () => {
    const lines = [
      ...body(20),
      line("Title", 24),
      line("Section", 16),
      line("Sub", 13),
      ...Array.from({ length: 30 }, () => line("Fig", 8)),
    ];
    expect(analyzeStyle(lines)).toEqual({ bodySize: 10, headingSizes: [24, 16, 13] });
  });

  it("does not count a second body font as a heading size", () => {
    const lines = [...body(20), ...Array.from({ length: 15 }, () => line("y".repeat(60), 12)), line("Title", 20)];
    expect(analyzeStyle(lines).headingSizes).toEqual([20]);
  });
});

describe("headingLevel", () => {
  const style = { bodySize: 10, headingSizes: [24, 16, 13] };

  it("maps heading sizes to levels and bold body text one level below the smallest", () => {
    expect(headingLevel(line("Title", 24), style)).toBe(1);
    expect(headingLevel(line("Section", 16), style)).toBe(2);
    expect(headingLevel(line("Sub", 12.9), style)).toBe(3);
    expect(headingLevel(line("Run-in", 10, true), style)).toBe(4);
  });

  it("never makes bold body text a title, even with no enlarged headings", () => {
    expect(headingLevel(line("Methods", 10, true), { bodySize: 10, headingSizes: [] })).toBe(2);
  });

  it("leaves body text and small bold text alone", () => {
    expect(headingLevel(line("body", 10), style)).toBeUndefined();
    expect(headingLevel(line("Figure 1.", 8, true), style)).toBeUndefined();
  });
});
