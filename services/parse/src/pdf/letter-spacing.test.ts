import { describe, expect, it } from "vitest";
import { applyLetterSpacingFixes, letterSpacingFixes } from "./letter-spacing.js";
import type { ItemJson } from "./page-types.js";

const OPS = { save: 10, restore: 11, setCharSpacing: 20, setFont: 21, showText: 44 };
const glyphs = (...units: (string | number)[]) => [units.map((u) => (typeof u === "number" ? u : { unicode: u, isSpace: u === " " }))];
const item = (text: string): ItemJson => ({
  text,
  x: 0,
  y: 0,
  width: 10,
  height: 10,
  fontName: "f",
  fontSize: 12,
  hasEol: false,
  bold: false,
  italic: false,
  monospace: false,
  dir: "ltr",
});
const list = (ops: [number, unknown[] | null][]) => ({ fnArray: ops.map((o) => o[0]), argsArray: ops.map((o) => o[1]) });
const chars = (s: string) => [...s];

describe("letter-spacing repair", () => {
  it("spells a run set with wide character spacing as drawn: letters together, its space glyphs as spaces", () => {
    const ops = list([
      [OPS.setFont, ["f1", 12]],
      [OPS.setCharSpacing, [1.8]], // 0.15 em: over pdf.js's 0.102 em
      [OPS.showText, glyphs(...chars("Letter spaced words"))],
    ]);
    const fixes = letterSpacingFixes(ops, OPS);
    const items = [item("L e t t e r s p a c e d w o r d s"), item("L e t t e r"), item("s p a c e d")];
    expect(applyLetterSpacingFixes(items, fixes).map((i) => i.text)).toEqual(["Letter spaced words", "Letter", "spaced"]);
  });

  it("takes a wide TJ adjustment inside the run for a word break", () => {
    const ops = list([
      [OPS.setFont, ["f1", 10]],
      [OPS.setCharSpacing, [2]],
      [OPS.showText, glyphs("T", "w", "o", -300, "w", "o", "r", "d", "s", -20, "!")],
    ]);
    expect(applyLetterSpacingFixes([item("T w o w o r d s !")], letterSpacingFixes(ops, OPS))[0]?.text).toBe("Two words!");
  });

  it("leaves runs with ordinary spacing alone, and the spacing ends with its graphics state", () => {
    const ops = list([
      [OPS.setFont, ["f1", 12]],
      [OPS.save, null],
      [OPS.setCharSpacing, [0.6]], // 0.05 em: pdf.js adds no spaces
      [OPS.showText, glyphs(...chars("close"))],
      [OPS.setCharSpacing, [3]],
      [OPS.restore, null],
      [OPS.showText, glyphs(...chars("a b c d e"))],
    ]);
    const fixes = letterSpacingFixes(ops, OPS);
    expect(fixes.runs.size).toBe(0);
    expect(applyLetterSpacingFixes([item("a b c d e")], fixes)[0]?.text).toBe("a b c d e");
  });

  it("mends only whole words of an item, and reverses right-to-left runs as pdf.js does", () => {
    const ops = list([
      [OPS.setFont, ["f1", 12]],
      [OPS.setCharSpacing, [2.4]],
      [OPS.showText, glyphs(...chars("spaced"))],
      // Arabic glyphs come in visual order (right to left read from the left): "باب" drawn.
      [OPS.showText, glyphs("ب", "ا", "ب", " ", "ن", "م")],
    ]);
    const fixes = letterSpacingFixes(ops, OPS);
    const items = [item("xs p a c e d"), item("s p a c e d out"), item("م ن ب ا ب")];
    expect(applyLetterSpacingFixes(items, fixes).map((i) => i.text)).toEqual(["xs p a c e d", "spaced out", "من باب"]);
  });
});
