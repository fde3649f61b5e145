import { describe, expect, it } from "vitest";
import { item, touching } from "../../test/page-builder.js";
import { buildLine, groupLines, mergeRows } from "./lines.js";

describe("groupLines", () => {
  it("groups items on one baseline into a line, left to right, whatever their order", () => {
    const lines = groupLines([item("world", 103, 100), item("second line", 72, 114), item("Hello", 72, 100)]);
    expect(lines.map((l) => l.text)).toEqual(["Hello world", "second line"]);
  });

  it("does not space the pieces of a word that pdf.js split into several items", () => {
    const [line] = groupLines(touching(["infor", "ma", "tion"], 72, 100));
    expect(line?.text).toBe("information");
  });

  it("spaces items separated by a word-sized gap, but not twice when the text has its space", () => {
    const gapped = groupLines([item("two", 72, 100), item("words", 72 + 15 + 3, 100)]);
    expect(gapped[0]?.text).toBe("two words");
    const spaced = groupLines([item("two ", 72, 100, { width: 17.5 }), item("words", 72 + 17.5 + 0.5, 100)]);
    expect(spaced[0]?.text).toBe("two words");
  });

  it("puts no spaces between CJK characters, even with gaps, but spaces CJK from Latin", () => {
    const size = 12;
    const cjk = [
      item("日本", 72, 100, { size, width: 24 }),
      item("語の", 72 + 24 + 4, 100, { size, width: 24 }),
      item("PDF", 72 + 48 + 8, 100, { size }),
    ];
    expect(groupLines(cjk)[0]?.text).toBe("日本語の PDF");
  });

  it("keeps a superscript on its line", () => {
    const lines = groupLines([item("E = mc", 72, 100), item("2", 102, 100.5, { size: 6 }), item("holds", 110, 100)]);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.text).toBe("E = mc2 holds");
    expect(lines[0]?.fontSize).toBe(10);
  });

  it("cuts a row at a gutter-wide gap, so two columns on one baseline stay two lines", () => {
    const lines = groupLines([item("left column text", 72, 100), item("right column text", 320, 100)]);
    expect(lines.map((l) => l.text)).toEqual(["left column text", "right column text"]);
  });

  it("ignores whitespace-only items and text drawn twice to fake bold", () => {
    const lines = groupLines([item("Bold", 72, 100), item("Bold", 72.3, 100), item(" ", 92, 100), item("", 95, 100)]);
    expect(lines.map((l) => l.text)).toEqual(["Bold"]);
  });

  it("joins right-to-left lines from their right edge, keeping embedded Latin in place", () => {
    const rtl = (text: string, x: number, width: number) => ({ ...item(text, x, 100, { width }), dir: "rtl" });
    const [line] = groupLines([item("Python", 224, 100, { width: 41 }), rtl("تحسين الإنتاجية بلغة", 278, 90), rtl("و", 268, 6)]);
    expect(line?.rtl).toBe(true);
    expect(line?.text).toBe("تحسين الإنتاجية بلغة و Python");
  });

  it("drops items a damaged PDF placed at non-finite coordinates", () => {
    const lines = groupLines([item("ok", 72, 100), { ...item("bad", 80, 100), x: Number.NaN }, { ...item("worse", 90, 100), y: Infinity }]);
    expect(lines.map((l) => l.text)).toEqual(["ok"]);
  });

  it("measures the line: box, baseline, dominant size, bold only when all of it is", () => {
    const [line] = groupLines([item("Heading", 72, 100, { size: 14, bold: true }), item("(draft)", 130, 104, { size: 10 })]);
    expect(line).toMatchObject({ x0: 72, y0: 100, y1: 114, baseline: 114, fontSize: 14, bold: false, chars: 14 });
    expect(line?.x1).toBeCloseTo(165);
    const [bold] = groupLines([item("All bold", 72, 100, { bold: true })]);
    expect(bold?.bold).toBe(true);
  });
});

describe("mergeRows", () => {
  it("joins segments of one row with a space and keeps rows top to bottom", () => {
    const segments = groupLines([item("1", 72, 100), item("Introduction", 100, 100), item("Next row", 72, 114)]);
    expect(segments).toHaveLength(3);
    expect(mergeRows(segments).map((l) => l.text)).toEqual(["1 Introduction", "Next row"]);
  });

  it("leaves single-segment rows untouched", () => {
    const line = buildLine([item("alone", 72, 100)]);
    expect(mergeRows([line])[0]).toBe(line);
  });
});
