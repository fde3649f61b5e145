import { describe, expect, it } from "vitest";
import { convertItems, fontFlags, multiply, type RawStyle } from "./text-geometry.js";

// pdf.js viewports at scale 1 for a 600×800 MediaBox: /Rotate 0 flips y; /Rotate 90 swaps axes.
const UPRIGHT = [1, 0, 0, -1, 0, 800];
const ROTATE_90 = [0, 1, 1, 0, 0, 0];
const HELVETICA: RawStyle = { fontFamily: "sans-serif", ascent: 0.9, descent: -0.2, vertical: false };

const item = (str: string, transform: number[], extra: Partial<{ width: number; hasEOL: boolean; fontName: string }> = {}) => ({
  str,
  dir: "ltr",
  width: 100,
  height: 20,
  transform,
  fontName: "f1",
  hasEOL: false,
  ...extra,
});

describe("convertItems", () => {
  it("puts the box top at baseline − ascent, measured from the top edge", () => {
    const [out] = convertItems([item("Title", [20, 0, 0, 20, 50, 750])], { f1: HELVETICA }, UPRIGHT);
    // baseline 750 pt from the bottom = 50 pt from the top; ascent 0.9 × 20 pt = 18 pt.
    expect(out).toMatchObject({ text: "Title", x: 50, y: 32, width: 100, height: 22, fontSize: 20 });
  });

  it("follows /Rotate: text on a page turned 90° runs down the page", () => {
    const [out] = convertItems([item("Side", [20, 0, 0, 20, 50, 750])], { f1: HELVETICA }, ROTATE_90);
    // The baseline runs along +y (downwards) from (750, 50); glyph tops point to +x.
    expect(out).toMatchObject({ x: 746, y: 50, width: 22, height: 100 });
  });

  it("moves an empty end-of-line marker's EOL onto the previous run and drops empty runs", () => {
    const out = convertItems(
      [item("a", [10, 0, 0, 10, 0, 700]), item("", [10, 0, 0, 10, 0, 700], { hasEOL: true }), item("b", [10, 0, 0, 10, 0, 680])],
      { f1: HELVETICA },
      UPRIGHT,
    );
    expect(out.map((i) => [i.text, i.hasEol])).toEqual([
      ["a", true],
      ["b", false],
    ]);
  });

  it("skips marked-content entries and tolerates a missing style", () => {
    const out = convertItems(
      [{ type: "beginMarkedContent", id: "" }, item("x", [10, 0, 0, 10, 0, 700], { fontName: "nope" })],
      {},
      UPRIGHT,
    );
    expect(out).toHaveLength(1);
    expect(out[0]?.fontName).toBe("nope");
  });

  it("uses the real font name when known, without the subset tag", () => {
    const names = new Map([["f1", "ABCDEF+Helvetica-BoldOblique"]]);
    const [out] = convertItems([item("x", [10, 0, 0, 10, 0, 700])], { f1: HELVETICA }, UPRIGHT, names);
    expect(out).toMatchObject({ fontName: "Helvetica-BoldOblique", bold: true, italic: true, monospace: false });
  });
});

describe("fontFlags", () => {
  it.each([
    ["NimbusRomNo9L-Medi", "serif", { bold: true, italic: false, monospace: false }],
    ["XYZABC+Arial-BoldMT", "sans-serif", { bold: true, italic: false, monospace: false }],
    ["TimesNewRomanPS-ItalicMT", "serif", { bold: false, italic: true, monospace: false }],
    ["CMTT10", "sans-serif", { bold: false, italic: false, monospace: true }],
    ["CMBX12", "serif", { bold: true, italic: false, monospace: false }],
    ["SFBX1000", "serif", { bold: true, italic: false, monospace: false }],
    ["ECBX1200", "serif", { bold: true, italic: false, monospace: false }],
    ["CMB10", "serif", { bold: true, italic: false, monospace: false }],
    ["SFTI1000", "serif", { bold: false, italic: true, monospace: false }],
    ["SFTT1000", "serif", { bold: false, italic: false, monospace: true }],
    ["SFRM1000", "serif", { bold: false, italic: false, monospace: false }],
    ["CMSY10", "monospace", { bold: false, italic: false, monospace: false }],
    ["SymbolMT", "monospace", { bold: false, italic: false, monospace: false }],
    ["", "monospace", { bold: false, italic: false, monospace: true }],
    ["Georgia", "serif", { bold: false, italic: false, monospace: false }],
  ])("%s / %s", (name, family, flags) => {
    expect(fontFlags(name, family)).toEqual(flags);
  });
});

describe("multiply", () => {
  it("composes like pdf.js Util.transform (m1 applied after m2)", () => {
    expect(multiply(UPRIGHT, [2, 0, 0, 2, 10, 20])).toEqual([2, 0, 0, -2, 10, 780]);
  });
});
