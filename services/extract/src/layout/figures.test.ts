import { describe, expect, it } from "vitest";
import { doc, item, page, paragraph, words } from "../../test/page-builder.js";
import { buildExtraction } from "../extraction.js";

const X = 72;
const body = (tag: string, top: number, n = 4) =>
  paragraph(
    Array.from({ length: n }, (_, i) => `${tag} ${words(String(i), 80)}`),
    X,
    top,
  );
const extract = (p: ReturnType<typeof page>) => buildExtraction(doc(p), { extractionId: "e", cachedParse: false });

describe("figures", () => {
  it("makes a figure block of a placed image, takes its labels out of the text, and keeps the caption after it", () => {
    const image = { x: 150, y: 200, width: 300, height: 150 };
    const labels = [item("0", 160, 330), item("10", 300, 330), item("Revenue", 200, 210)];
    const items = [...body("Alpha", 100), ...labels, item("Figure 1: Revenue by year.", X, 365), ...body("Beta", 400)];
    const e = extract(page(items, { graphics: { images: [image] } }));
    expect(e.pages[0]?.blocks.map((b) => b.type)).toEqual(["paragraph", "figure", "caption", "paragraph"]);
    expect(e.pages[0]?.blocks[1]?.text).toBe("Revenue 0 10");
    expect(e.markdown).toContain("<!-- image -->\n\nFigure 1: Revenue by year.");
  });

  it("finds a chart drawn with shapes, and ignores an image behind the whole page", () => {
    const bars = [0, 1, 2, 3, 4].map((i) => ({ x: 150 + i * 40, y: 250 - i * 10, width: 30, height: 60 + i * 10 }));
    const axis = { x0: 140, y0: 310, x1: 350, y1: 310, width: 0.5 };
    const graphics = { fills: bars, rules: [axis], images: [{ x: 0, y: 0, width: 612, height: 792 }] };
    const e = extract(page([...body("Alpha", 100), ...body("Beta", 400)], { graphics }));
    expect(e.pages[0]?.blocks.map((b) => b.type)).toEqual(["paragraph", "figure", "paragraph"]);
  });

  it("does not call a shaded box behind a paragraph a figure", () => {
    const shade = [{ x: 60, y: 95, width: 480, height: 60 }];
    const e = extract(page(body("Alpha", 100), { graphics: { fills: shade } }));
    expect(e.pages[0]?.blocks.map((b) => b.type)).toEqual(["paragraph"]);
  });
});
