import type { Block, ExtractionPage } from "@quire/contracts";
import { describe, expect, it } from "vitest";
import { buildChunks, splitText } from "./chunks.js";

let n = 0;
const block = (type: Block["type"], text: string, level?: number): Block => ({
  id: `b${++n}`,
  type,
  text,
  bbox: [0, 0, 1, 1],
  ...(level === undefined ? {} : { level }),
});
const pageOf = (page_number: number, blocks: Block[]): ExtractionPage => ({ page_number, width: 612, height: 792, ocr: false, blocks });

const pages = [
  pageOf(1, [
    block("title", "Report", 1),
    block("paragraph", "Intro text."),
    block("heading", "Methods", 2),
    block("paragraph", "How it was done."),
  ]),
  pageOf(2, [
    block("header", "Running head"),
    block("paragraph", "More method."),
    block("heading", "Results", 2),
    block("paragraph", "It worked."),
  ]),
];

describe("buildChunks", () => {
  it("page: one chunk per page, citing its pages and content blocks, with the headings above it", () => {
    const chunks = buildChunks(pages, { strategy: "page" }, {});
    expect(chunks.map((c) => [c.pages, c.block_ids.length, c.headings])).toEqual([
      [[1], 4, ["Report"]],
      [[2], 3, ["Report", "Methods"]],
    ]);
    expect(chunks[1]?.text).not.toContain("Running head");
  });

  it("section: a chunk per heading, which may run across pages", () => {
    const chunks = buildChunks(pages, { strategy: "section" }, {});
    expect(chunks.map((c) => c.text)).toEqual([
      "# Report\n\nIntro text.",
      "## Methods\n\nHow it was done.\n\nMore method.",
      "## Results\n\nIt worked.",
    ]);
    expect(chunks[1]).toMatchObject({ pages: [1, 2], headings: ["Report", "Methods"] });
  });

  it("size: packs blocks in reading order up to max_chars", () => {
    const chunks = buildChunks(pages, { strategy: "size", maxChars: 200 }, {});
    expect(chunks).toHaveLength(1);
    expect(chunks[0]?.pages).toEqual([1, 2]);
  });

  it("cuts a block longer than max_chars between sentences; each piece still cites the block", () => {
    const long = Array.from({ length: 30 }, (_, i) => `Sentence number ${i} is here.`).join(" ");
    const chunks = buildChunks([pageOf(1, [block("paragraph", long)])], { strategy: "size", maxChars: 200 }, {});
    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks.every((c) => c.text.length <= 200 && c.text.endsWith(".") && c.block_ids.length === 1)).toBe(true);
  });
});

describe("splitText", () => {
  it("cuts at spaces when there is no sentence end, and anywhere as a last resort", () => {
    expect(splitText("aaaa bbbb cccc dddd", 10)).toEqual(["aaaa bbbb", "cccc dddd"]);
    expect(splitText("x".repeat(25), 10)).toEqual(["x".repeat(10), "x".repeat(10), "x".repeat(5)]);
  });
});
