import { describe, expect, it } from "vitest";
import { doc, item, page, paragraph, words } from "../test/page-builder.js";
import { buildExtraction } from "./extraction.js";

const X = 72;

describe("buildExtraction", () => {
  const parsed = doc(
    page([item("Quarterly Report", X, 60, { size: 20 }), ...paragraph([words("a", 80), `${words("b", 60)}.`], X, 100)], { pageNumber: 3 }),
    page([], { pageNumber: 4, ocr: true, ocrReason: "no text layer" }),
    page([...paragraph([words("c", 80)], X, 100), item("5", 300, 760)], { pageNumber: 5, width: 595, height: 842 }),
  );
  const extraction = buildExtraction(parsed, { extractionId: "ext_job_1", cachedParse: true });

  it("reports every processed page with its size, OCR flag and blocks", () => {
    expect(extraction.extraction_id).toBe("ext_job_1");
    expect(extraction.page_count).toBe(3);
    expect(extraction.usage).toEqual({ pages: 3, cached_parse: true });
    expect(extraction.pages.map((p) => [p.page_number, p.width, p.height, p.ocr, p.ocr_reason])).toEqual([
      [3, 612, 792, false, undefined],
      [4, 612, 792, true, "no text layer"],
      [5, 595, 842, false, undefined],
    ]);
    expect(extraction.pages[0]?.blocks.map((b) => [b.id, b.type])).toEqual([
      ["p3-b1", "title"],
      ["p3-b2", "paragraph"],
    ]);
    expect("ocr_reason" in (extraction.pages[0] ?? {})).toBe(false);
  });

  it("renders markdown across pages in order", () => {
    expect(extraction.markdown).toBe(`# Quarterly Report\n\n${words("a", 80)} ${words("b", 60)}.\n\n${words("c", 80)}`);
  });

  it("makes one chunk per page with content, citing its blocks but not page furniture", () => {
    expect(extraction.chunks).toEqual([
      {
        text: `# Quarterly Report\n\n${words("a", 80)} ${words("b", 60)}.`,
        pages: [3],
        block_ids: ["p3-b1", "p3-b2"],
        headings: ["Quarterly Report"],
      },
      { text: words("c", 80), pages: [5], block_ids: ["p5-b1"], headings: ["Quarterly Report"] },
    ]);
    expect(extraction.pages[2]?.blocks.map((b) => b.type)).toEqual(["paragraph", "page_number"]);
  });

  it("gives a text block of several lines its printed lines with their boxes; one-line blocks have none", () => {
    const [title, para] = extraction.pages[0]?.blocks ?? [];
    expect(title?.lines).toBeUndefined();
    expect(para?.lines?.map((l) => para.text.slice(l.start, l.end))).toEqual([words("a", 80), `${words("b", 60)}.`]);
    const [first, second] = para?.lines ?? [];
    // Page 3 is 612 × 792 pt; the lines sit 12 pt apart, at the block's left edge, the second the shorter one.
    expect(first?.bbox[0]).toBe(para?.bbox[0]);
    expect(first?.bbox[1]).toBe(para?.bbox[1]);
    expect(second?.bbox[3]).toBe(para?.bbox[3]);
    expect((second?.bbox[1] ?? 0) - (first?.bbox[1] ?? 0)).toBeCloseTo(12 / 792, 3);
    expect(second?.bbox[2]).toBeLessThan(first?.bbox[2] ?? 0);
    // The block's text and the markdown join them with a space, as before.
    expect(para?.text).toBe(`${words("a", 80)} ${words("b", 60)}.`);
  });

  it("is plain JSON", () => {
    expect(JSON.parse(JSON.stringify(extraction))).toEqual(extraction);
  });
});
