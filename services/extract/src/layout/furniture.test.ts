import { describe, expect, it } from "vitest";
import { below, doc, item, page, paragraph, words } from "../../test/page-builder.js";
import { buildExtraction } from "../extraction.js";

const X = 72;
const WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet", "kilo", "lima"];
/** Letters unique to page n: pages' texts differ in words, not only in digits (which are masked when lines are compared). */
const tag = (n: number): string => `${WORDS[n % 12]}${WORDS[Math.floor(n / 12) % 12]}`;
const body = (n: number, top: number, lines = 6) =>
  paragraph(
    Array.from({ length: lines }, (_, i) => `${tag(n)} ${words(String(i), 80)}`),
    X,
    top,
  );
const extract = (...pages: ReturnType<typeof page>[]) => buildExtraction(doc(...pages), { extractionId: "e", cachedParse: false });
const furniture = (e: ReturnType<typeof extract>) =>
  e.pages.map((p) => p.blocks.filter((b) => ["header", "footer", "page_number"].includes(b.type)).map((b) => `${b.type}:${b.text}`));

describe("running headers and footers", () => {
  it("finds a line repeated at the same height on every page, page numbers aside, and keeps it out of the markdown", () => {
    const pages = [1, 2, 3].map((n) =>
      page([item("Quire Quarterly — Confidential", X, 40, { size: 8 }), ...body(n, 100), item(`Page ${n} of 3`, 280, 760, { size: 8 })], {
        pageNumber: n,
      }),
    );
    const e = extract(...pages);
    expect(furniture(e)).toEqual([1, 2, 3].map((n) => ["header:Quire Quarterly — Confidential", `page_number:Page ${n} of 3`]));
    expect(e.markdown).not.toMatch(/Confidential|of 3/u);
  });

  it("wants more than two twins in a long document, so two chapter openers do not look like running heads", () => {
    const pages = Array.from({ length: 30 }, (_, i) =>
      page([...(i === 3 || i === 17 ? [item("PART ONE", 250, 40)] : []), ...body(i, 100)], { pageNumber: i + 1 }),
    );
    expect(furniture(extract(...pages)).flat()).toEqual([]);
  });

  it("does not take bullets that happen to sit at the same height on two pages for furniture", () => {
    const listPage = (n: number) =>
      page([item("•", X, 40), item(`Item on page ${tag(n)} ${words("b", 50)}`, X + 15, 40), ...body(n, 60)], { pageNumber: n });
    expect(furniture(extract(listPage(1), listPage(2))).flat()).toEqual([]);
  });
});

describe("page numbers and single pages", () => {
  it("marks a lone number below the text as a page number, even well above the bottom margin", () => {
    const text = body(1, 100, 42);
    const e = extract(page([...text, item("7", 300, below(text, 30))]));
    expect(furniture(e)).toEqual([["page_number:7"]]);
  });

  it("takes a journal's running head with its page number apart from the content on a single page", () => {
    const head = [
      item("Optimized Table Tokenization for Table Structure Recognition", 190, 90, { size: 9 }),
      item("9", 476, 90, { size: 9 }),
    ];
    const e = extract(page([...head, ...body(1, 116)]));
    expect(furniture(e)).toEqual([["header:Optimized Table Tokenization for Table Structure Recognition", "page_number:9"]]);
  });

  it("leaves a table of contents' first entry alone: it is not set apart from the next", () => {
    const toc = [0, 1, 2, 3].flatMap((i) => [item(`Chapter ${i + 1} title`, X, 60 + i * 14), item(String(10 + i * 20), 400, 60 + i * 14)]);
    expect(furniture(extract(page([...toc, ...body(1, 140)])))).toEqual([[]]);
  });

  it("in a one-page document, takes a short centred label at the very top as a header (a sheet name)", () => {
    const e = extract(page([item("Sheet1", 290, 40), ...body(1, 90)], { width: 612 }));
    expect(furniture(e)).toEqual([["header:Sheet1"]]);
  });

  it("never drops a lone last line at the foot of a page: nothing tells it from content", () => {
    const text = body(1, 100, 10);
    const e = extract(page([...text, item("X2 + Y2 = Z", 280, 740)]));
    expect(e.markdown).toContain("X2 + Y2 = Z");
  });

  it("takes text turned sideways in the side margin (an arXiv stamp) for a header", () => {
    const stamp = { ...item("arXiv:2101.00042v2 [cs.CL] 4 Jan 2021", 20, 200, { size: 20 }), width: 20, height: 380 };
    const e = extract(page([stamp, ...body(1, 100)]));
    expect(furniture(e)).toEqual([["header:arXiv:2101.00042v2 [cs.CL] 4 Jan 2021"]]);
  });
});
