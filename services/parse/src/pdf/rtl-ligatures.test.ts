import { describe, expect, it } from "vitest";
import type { ItemJson } from "./page-types.js";
import { applyLigatureFixes, ligatureFixes } from "./rtl-ligatures.js";

const OPS = { showText: 44 };
const glyphs = (...unicodes: (string | number)[]) => [unicodes.map((u) => (typeof u === "number" ? u : { unicode: u }))];
const item = (text: string): ItemJson => ({
  text,
  x: 0,
  y: 0,
  width: 10,
  height: 10,
  fontName: "f",
  fontSize: 10,
  hasEol: false,
  bold: false,
  italic: false,
  monospace: false,
  dir: "rtl",
});

describe("Arabic ligature repair", () => {
  // "المشكلات" drawn right to left: glyphs in visual order, the lam-alef ligature as one glyph
  // whose unicode is its two letters in logical order.
  const run = glyphs("ت", "لا", 5, "ك", "ش", "م", "ل", "ا", " ", "ن", "م");

  it("learns, from the glyph runs, the word pdf.js will spell wrong and its right spelling", () => {
    const fixes = ligatureFixes({ fnArray: [OPS.showText], argsArray: [run] }, OPS);
    expect([...fixes]).toEqual([["المشكالت", "المشكلات"]]);
  });

  it("mends only the words it learnt", () => {
    const fixes = new Map([["المشكالت", "المشكلات"]]);
    const [mended] = applyLigatureFixes([item("من المشكالت والحل")], fixes);
    expect(mended?.text).toBe("من المشكلات والحل");
  });

  it("leaves runs without ligature glyphs, and non-text operators, alone", () => {
    const plain = glyphs("ب", "ا", "ب");
    expect(ligatureFixes({ fnArray: [OPS.showText, 1], argsArray: [plain, [3]] }, OPS).size).toBe(0);
  });
});
