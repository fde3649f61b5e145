import { describe, expect, it } from "vitest";
import { below, doc, item, page, paragraph, touching, words } from "../../test/page-builder.js";
import { groupLines } from "../lines/lines.js";
import { normalizeBBox } from "./blocks.js";
import { extractPages } from "../extraction.js";

const X = 72;
const body = (tag: string, top: number, n = 3) =>
  paragraph(
    Array.from({ length: n }, (_, i) => `${tag} ${words(String(i), 80)}`),
    X,
    top,
  );
const blocksOf = (items: ReturnType<typeof item>[]) => [...extractPages(doc(page(items)))][0]?.page.blocks ?? [];
const summary = (items: ReturnType<typeof item>[]) =>
  blocksOf(items).map((b) => [b.type, b.level, b.text.split(" ").slice(0, 2).join(" ")]);

describe("headings", () => {
  it("ranks headings by font size against the body size, bold body text below them", () => {
    const title = [item("Quire Annual Report", X, 60, { size: 24, bold: true })];
    const h2 = [item("1 Introduction", X, 110, { size: 16 })];
    const p1 = body("Alpha", 140, 4);
    const h3 = [item("1.1 Background", X, below(p1, 12), { size: 13 })];
    const p2 = body("Beta", below(h3, 6), 4);
    const h4 = [item("Run-in bold heading", X, below(p2, 10), { bold: true })];
    const p3 = body("Gamma", below(h4, 4), 4);
    expect(summary([...title, ...h2, ...p1, ...h3, ...p2, ...h4, ...p3])).toEqual([
      ["title", 1, "Quire Annual"],
      ["heading", 2, "1 Introduction"],
      ["paragraph", undefined, "Alpha 0"],
      ["heading", 3, "1.1 Background"],
      ["paragraph", undefined, "Beta 0"],
      ["heading", 4, "Run-in bold"],
      ["paragraph", undefined, "Gamma 0"],
    ]);
  });

  it("keeps a two-line title in one block, and does not call a long bold sentence a heading", () => {
    const title = paragraph(["A Title Broken", "Over Two Lines"], 150, 60, { size: 22 });
    const bold = [item("This whole sentence is set in bold for emphasis.", X, 130, { bold: true })];
    const text = body("Body", 160, 6);
    const blocks = blocksOf([...title, ...bold, ...text]);
    expect(blocks[0]).toMatchObject({ type: "title", level: 1, text: "A Title Broken Over Two Lines" });
    expect(blocks[1]).toMatchObject({ type: "paragraph" });
  });

  it("reads consecutive enumerated lines in a heading font as a list, not headings", () => {
    const items = [...paragraph(["1. first item", "2. second item"], X, 100, { size: 13 }), ...body("Body", 150, 6)];
    expect(summary(items).slice(0, 2)).toEqual([
      ["list_item", 1, "1. first"],
      ["list_item", 1, "2. second"],
    ]);
  });
});

describe("paragraphs", () => {
  it("splits paragraphs at extra vertical space and joins the lines of each", () => {
    const p1 = body("One", 100, 3);
    const p2 = body("Two", below(p1, 8), 3);
    const blocks = blocksOf([...p1, ...p2]);
    expect(blocks.map((b) => b.text.split(" ")[0])).toEqual(["One", "Two"]);
    expect(blocks[0]?.text).toBe(p1.map((i) => i.text).join(" "));
  });

  it("splits paragraphs at a first-line indent even without extra space", () => {
    const lines = [words("a", 76), words("b", 80), words("c", 80), words("d", 76), words("e", 80)];
    const items = lines.map((text, i) => item(text, i === 0 || i === 3 ? X + 20 : X, 100 + i * 12));
    expect(blocksOf(items).map((b) => b.text.slice(0, 1))).toEqual(["a", "d"]);
  });

  it("keeps a hanging indent (a reference list entry) in one paragraph", () => {
    const entry = (tag: string, top: number) => [item(`[${tag}] ${words(tag, 76)}`, X, top), item(words(tag, 70), X + 20, top + 12)];
    expect(blocksOf([...entry("1", 100), ...entry("2", 124)]).map((b) => b.text.slice(0, 3))).toEqual(["[1]", "[2]"]);
  });

  it("ends a paragraph at a short line that ends a sentence", () => {
    const items = paragraph([words("a", 80), "short last line.", words("b", 80), words("c", 80)], X, 100);
    expect(blocksOf(items).map((b) => b.text.slice(0, 1))).toEqual(["a", "b"]);
  });

  it("joins a word hyphenated across lines", () => {
    const items = paragraph(["Quire turns documents into infor-", "mation that programs can use."], X, 100);
    expect(blocksOf(items)[0]?.text).toBe("Quire turns documents into information that programs can use.");
  });
});

describe("list items", () => {
  it("finds bulleted and numbered items, with hanging continuation lines, and strips bullets", () => {
    const items = [
      item("•", X, 100),
      item("Bullet one that wraps onto", X + 15, 100),
      item("a second line", X + 15, 112),
      item("•", X, 124),
      item("Bullet two", X + 15, 124),
      item("2. Numbered item", X, 136),
      item("a) Lettered item", X, 148),
      ...body("After", 172, 2),
    ];
    expect(blocksOf(items).map((b) => [b.type, b.text])).toEqual([
      ["list_item", "Bullet one that wraps onto a second line"],
      ["list_item", "Bullet two"],
      ["list_item", "2. Numbered item"],
      ["list_item", "a) Lettered item"],
      ["paragraph", expect.stringMatching(/^After/u)],
    ]);
  });
});

describe("other blocks", () => {
  it("keeps monospace lines as one code block with their indentation", () => {
    const mono = { monospace: true };
    const items = [
      item("function add(a, b) {", X, 100, mono),
      item("return a + b;", X + 12, 112, mono),
      item("}", X, 124, mono),
      ...body("Prose", 150, 2),
    ];
    expect(blocksOf(items)[0]).toMatchObject({ type: "code", text: "function add(a, b) {\n  return a + b;\n}" });
  });

  it("marks a lone number in the bottom margin as a page number", () => {
    const blocks = blocksOf([...body("Text", 100, 3), item("7", 300, 750)]);
    expect(blocks.at(-1)).toMatchObject({ type: "page_number", text: "7" });
  });

  it("numbers blocks per page: p<page>-b<n>", () => {
    const blocks = [...extractPages(doc(page(body("x", 100)), page(body("y", 100), { pageNumber: 2 })))].flatMap((p) => p.page.blocks);
    expect(blocks.map((b) => b.id)).toEqual(["p1-b1", "p2-b1"]);
  });
});

describe("printed lines", () => {
  const linesOf = (b: { text: string; lines?: Array<{ start: number; end: number }> } | undefined) =>
    b?.lines?.map((l) => b.text.slice(l.start, l.end));

  it("gives each line's part of the text, a hyphenated word split where the line broke", () => {
    const [block] = blocksOf(paragraph(["Quire turns documents into infor-", "mation that programs", "can use."], X, 100));
    expect(linesOf(block)).toEqual(["Quire turns documents into infor", "mation that programs", "can use."]);
    expect(block?.lines?.map((l) => l.bbox[1])).toEqual([100 / 792, 112 / 792, 124 / 792].map((v) => Math.round(v * 10_000) / 10_000));
  });

  it("starts a bulleted item's first line after the bullet its text drops", () => {
    const [block] = blocksOf([item("•", X, 100), item("Bullet one that wraps onto", X + 15, 100), item("a second line", X + 15, 112)]);
    expect(block?.type).toBe("list_item");
    expect(linesOf(block)).toEqual(["Bullet one that wraps onto", "a second line"]);
  });

  it("gives none for a block of one line, nor for code, whose text keeps its line breaks", () => {
    const code = paragraph(["const a = 1;", "  return a;"], X, 200, { monospace: true });
    const [one, block] = blocksOf([item("A single line", X, 100), ...code]);
    expect(block?.type).toBe("code");
    expect(one?.lines).toBeUndefined();
    expect(block?.lines).toBeUndefined();
  });
});

describe("bounding boxes", () => {
  it("normalizes to 0..1 from the page's top-left", () => {
    const [block] = blocksOf(touching(["Hello", " world"], 61.2, 79.2, { size: 10 }));
    // x: 61.2 / 612 = 0.1; top 79.2 / 792 = 0.1; right 61.2 + 11 chars × 5 = 116.2; bottom 89.2
    expect(block?.bbox).toEqual([0.1, 0.1, 0.1899, 0.1126]);
  });

  it("clamps boxes that stick out of the page", () => {
    const lines = groupLines([item("off the edge", -20, -5), item("far right", 600, 790)]);
    const bbox = normalizeBBox(lines, { width: 612, height: 792 });
    expect(bbox).toEqual([0, 0, 1, 1]);
  });
});
