import { describe, expect, it } from "vitest";
import { item } from "../../test/page-builder.js";
import { groupLines } from "./lines.js";
import { orderLines } from "../layout/reading-order.js";
import { normalizeForms } from "./text.js";

const rtl = (text: string, x: number, width: number) => item(text, x, 100, { width, dir: "rtl" });
const ltr = (text: string, x: number, width: number) => item(text, x, 100, { width });

describe("right-to-left lines", () => {
  it("keeps a run of several left-to-right items in their own order inside an RTL line", () => {
    // Visually, right to left: "שלום לכולם", then "Microsoft Word" (two items), then "עולם ומלואו".
    const [line] = groupLines([rtl("עולם ומלואו", 60, 70), ltr("Microsoft", 133, 45), ltr("Word", 181, 25), rtl("שלום לכולם", 209, 70)]);
    expect(line?.text).toBe("שלום לכולם Microsoft Word עולם ומלואו");
  });

  it("puts a space where an Arabic word meets a Latin one with no gap, as producers drop it", () => {
    const [line] = groupLines([rtl("من الأدوات", 111.7, 284.6), ltr("Python", 396.6, 34), rtl("و", 433.6, 5.2)]);
    expect(line?.text).toBe("و Python من الأدوات");
  });

  it("does not space punctuation off an Arabic word", () => {
    const [line] = groupLines([ltr(".", 394, 3), rtl("نتائج العمل", 397, 125)]);
    expect(line?.text).toBe("نتائج العمل.");
  });
});

describe("Arabic presentation forms", () => {
  it("turns positional forms and lam-alef ligatures into letters, in logical order", () => {
    expect(normalizeForms("اﻧﻮاع")).toBe("انواع");
    expect(normalizeForms("ﻻ")).toBe("لا");
  });
});

describe("vertical text", () => {
  it("reads top-to-bottom columns right to left, without spaces between CJK characters", () => {
    const col = (text: string, x: number) => item(text, x, 22, { dir: "ttb", width: 9.2, size: 9.2 });
    const lines = groupLines([
      { ...col("日本語", 213.7), height: 27.6 },
      { ...col("あいうえお", 229.3), height: 46 },
    ]);
    expect(orderLines(lines).map((flow) => flow.map((l) => l.text))).toEqual([["あいうえお", "日本語"]]);
    expect(lines.every((l) => l.vertical)).toBe(true);
  });
});

describe("word breaks from geometry", () => {
  it("spaces off items that share a stretch of the row on different baselines", () => {
    // Two timetable rows pulled into one by a tall item between them: "11:15" over "11:20".
    const tall = item("Stone", 60, 64, { size: 9 });
    const [line] = groupLines([item("11:15", 20, 66, { size: 5, width: 16 }), item("11:20", 20, 71.3, { size: 5, width: 16 }), tall]);
    expect(line?.text).toBe("11:15 11:20");
  });

  it("keeps an accent drawn over its letter as one word", () => {
    const [accent] = groupLines([
      item("e", 100, 100, { width: 5 }),
      item("\u0301", 101, 100, { width: 3 }),
      item("te", 105, 100, { width: 10 }),
    ]);
    expect(accent?.text).toBe("e\u0301te");
  });
});

describe("runs set one after the other", () => {
  const run = (text: string, x: number, style: { size?: number; bold?: boolean } = {}) => item(text, x, 100, style);

  it("starts a new word where a lower-case letter meets a capital in another font or size, even with no gap", () => {
    // "Tax Return" in bold 20 pt (5 em of 0.5 em per character = 100 pt wide), then a run in regular type.
    const [line] = groupLines([run("Tax Return", 60, { size: 20, bold: true }), run("For the year", 160.5, { size: 20 })]);
    expect(line?.text).toBe("Tax Return For the year");
    const [smaller] = groupLines([run("Annual Report", 60, { size: 24 }), run("Fiscal year", 216, { size: 14 })]);
    expect(smaller?.text).toBe("Annual Report Fiscal year");
  });

  it("starts one where the capital stands a visible gap off in the same font, but not where the runs touch", () => {
    expect(groupLines([run("Work Plan", 60, { size: 20 }), run("Second", 151.6, { size: 20 })])[0]?.text).toBe("Work Plan Second");
    expect(groupLines([run("Mc", 60, { size: 20 }), run("Donald", 80.4, { size: 20 })])[0]?.text).toBe("McDonald");
  });
});
