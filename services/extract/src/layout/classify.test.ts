import { describe, expect, it } from "vitest";
import { below, doc, item, page, paragraph, words } from "../../test/page-builder.js";
import { buildExtraction } from "../extraction.js";

const X = 72;
const body = (tag: string, top: number, n = 4) =>
  paragraph(
    Array.from({ length: n }, (_, i) => `${tag} ${words(String(i), 80)}`),
    X,
    top,
  );
const blocksOf = (items: ReturnType<typeof item>[]) =>
  buildExtraction(doc(page(items)), { extractionId: "e", cachedParse: false }).pages[0]?.blocks ?? [];
const typeOf = (items: ReturnType<typeof item>[], text: RegExp) => blocksOf(items).find((b) => text.test(b.text))?.type;

describe("block types", () => {
  it("calls a 'Figure 3:' or 'Table 1.' paragraph a caption, but not 'Table 1 shows'", () => {
    const p1 = body("Alpha", 100);
    const caption = [item("Table 1. Results of the survey, by region.", X, below(p1, 10))];
    const sentence = [item("Table 1 shows that the results vary by region and by season.", X, below(caption, 20))];
    const items = [...p1, ...caption, ...sentence, ...body("Beta", below(sentence, 20))];
    expect(typeOf(items, /^Table 1\./u)).toBe("caption");
    expect(typeOf(items, /^Table 1 shows/u)).toBe("paragraph");
  });

  it("calls display math set in a math font a formula, and leaves an equation in the text font a paragraph", () => {
    const p1 = body("Alpha", 100);
    const math = [item("a", 280, below(p1, 10), { font: "CMMI10" }), item("+ 8 = 12", 290, below(p1, 10), { font: "CMR10" })];
    const plain = [item("X2 + Y2 = Z", 280, below(math, 20))];
    const items = [...p1, ...math, ...plain, ...body("Beta", below(plain, 20))];
    expect(typeOf(items, /^a \+ 8 = 12$/u)).toBe("formula");
    expect(typeOf(items, /^X2/u)).toBe("paragraph");
  });

  it("fences monospace listings, but not an e-mail address, nor a centred or enlarged title in a typewriter face", () => {
    const mono = { monospace: true };
    const p1 = body("Alpha", 100);
    const address = [item("{gal,brendan}@mozilla.com", X, below(p1, 10), mono)];
    const title = [item("“PIRACY”", 250, below(address, 20), { ...mono, size: 16 })];
    const centred = paragraph(
      ["THE PENGUIN PRESS", "NEW YORK", "2004"].map((t) => t),
      0,
      below(title, 20),
      mono,
    ).map((it) => ({ ...it, x: 300 - it.width / 2 }));
    const code = paragraph(["for (;;) {", "  run();", "}"], X, below(centred, 20), mono);
    const items = [...p1, ...address, ...title, ...centred, ...code, ...body("Beta", below(code, 20))];
    expect(typeOf(items, /mozilla/u)).toBe("paragraph");
    expect(typeOf(items, /PIRACY/u)).toBe("title");
    expect(typeOf(items, /PENGUIN/u)).toBe("paragraph");
    expect(typeOf(items, /^for/u)).toBe("code");
  });

  it("does not fence CJK text because pdf.js calls CJK fonts monospace", () => {
    expect(typeOf([item("描述团队的共同目标，有利于团队成员理解目标。", X, 100, { monospace: true, width: 220 })], /描述/u)).toBe(
      "paragraph",
    );
  });

  it("sets heading levels from section numbers: 2 → level 2, 2.1 → 3, 2.1.1 → 4", () => {
    const h = (text: string, top: number) => [item(text, X, top, { bold: true })];
    const items = [
      ...h("2 Methods", 100),
      ...body("A", 120),
      ...h("2.1 Data", 180),
      ...body("B", 200),
      ...h("2.1.1 Sources", 260),
      ...body("C", 280),
    ];
    expect(
      blocksOf(items)
        .filter((b) => b.type === "heading")
        .map((b) => [b.text, b.level]),
    ).toEqual([
      ["2 Methods", 2],
      ["2.1 Data", 3],
      ["2.1.1 Sources", 4],
    ]);
  });

  it("nests list items by their markers' indent", () => {
    const items = [
      item("1. numbered list 1", 90, 100),
      item("◦", 108, 114),
      item("bullet list 1.1", 122, 114),
      item("▪", 126, 128),
      item("bullet list 1.1.1", 140, 128),
      item("2. numbered list 2", 90, 142),
    ];
    expect(blocksOf(items).map((b) => [b.text, b.level])).toEqual([
      ["1. numbered list 1", 1],
      ["bullet list 1.1", 2],
      ["bullet list 1.1.1", 3],
      ["2. numbered list 2", 1],
    ]);
  });
});

describe("titles", () => {
  it("keeps one title per document: several blocks in the largest font are sections, a level down", () => {
    const big = { size: 16, bold: true };
    const items = [item("First Section", X, 100, big), ...body("A", 130), item("Second Section", X, 200, big), ...body("B", 230)];
    expect(
      blocksOf(items)
        .filter((b) => b.type !== "paragraph")
        .map((b) => [b.type, b.level]),
    ).toEqual([
      ["heading", 2],
      ["heading", 2],
    ]);
  });
});
