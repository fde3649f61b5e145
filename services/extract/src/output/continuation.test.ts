import { describe, expect, it } from "vitest";
import { doc, item, page, paragraph, words } from "../../test/page-builder.js";
import { buildExtraction } from "../extraction.js";

const extract = (...pages: ReturnType<typeof page>[]) => buildExtraction(doc(...pages), { extractionId: "e", cachedParse: false });
// Lines of about 40 characters (200 pt at 10 pt): two columns fit side by side on a letter page.
const lines = (tag: string, n: number, last: string) => [...Array.from({ length: n - 1 }, (_, i) => `${tag}${i} ${words(tag, 34)}`), last];

describe("paragraphs across column and page breaks", () => {
  it("joins a paragraph that runs from the foot of the left column to the top of the right one", () => {
    const left = paragraph(lines("left", 8, "the sentence goes on in the"), 72, 100);
    const right = paragraph(["next column and ends here.", ...lines("right", 7, "Done.")], 320, 100);
    const e = extract(page([...left, ...right]));
    const [a, b] = e.pages[0]?.blocks ?? [];
    expect(b?.continues).toBe(a?.id);
    expect(e.markdown).toContain("the sentence goes on in the next column and ends here.");
  });

  it("joins across a page break, past the running footer, and rejoins a word hyphenated there", () => {
    const one = page([
      ...paragraph(lines("one", 6, "a paragraph that ends the page with a hyphen-"), 72, 100),
      item("Quire report", 280, 760),
    ]);
    const two = page([...paragraph(["ated word on the next page.", ...lines("two", 5, "End.")], 72, 100), item("Quire report", 280, 760)], {
      pageNumber: 2,
    });
    const e = extract(one, two);
    expect(e.pages[1]?.blocks[0]?.continues).toBe(e.pages[0]?.blocks[0]?.id);
    expect(e.markdown).toContain("with a hyphenated word on the next page.");
    expect(e.markdown).not.toContain("Quire report");
  });

  it("steps over a footnote in smaller type at the foot of the column", () => {
    const text = paragraph(lines("body", 8, "and it runs on into the"), 72, 100);
    const note = paragraph(["Permission to make digital copies is granted."], 72, 300, { size: 7 });
    const right = paragraph(["other column here.", ...lines("more", 7, "End.")], 320, 100);
    const e = extract(page([...text, ...note, ...right]));
    expect(e.markdown).toContain("runs on into the other column here.");
  });

  it("does not join when the first paragraph ended, or the next starts a new sentence", () => {
    const left = paragraph(lines("left", 8, "This one ends."), 72, 100);
    const right = paragraph(["continues in lower case but the left one ended.", ...lines("right", 7, "Done.")], 320, 100);
    expect(extract(page([...left, ...right])).pages[0]?.blocks.some((b) => b.continues)).toBe(false);
  });
});
