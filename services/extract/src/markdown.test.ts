import type { Block } from "@quire/contracts";
import { describe, expect, it } from "vitest";
import { blocksToMarkdown, pagesToMarkdown } from "./markdown.js";

let n = 0;
const block = (type: Block["type"], text: string, level?: number): Block => ({
  id: `p1-b${++n}`, type, text, bbox: [0, 0, 1, 1], ...(level === undefined ? {} : { level }),
});

describe("blocksToMarkdown", () => {
  it("renders headings by level, paragraphs with blank lines, lists tight, code fenced", () => {
    const md = blocksToMarkdown([
      block("title", "Report", 1),
      block("heading", "Scope", 2),
      block("paragraph", "First paragraph."),
      block("list_item", "apples"),
      block("list_item", "pears"),
      block("list_item", "1. numbered"),
      block("paragraph", "Second paragraph."),
      block("code", "if (x) {\n  y();\n}"),
      block("heading", "Deep", 9),
    ]);
    expect(md).toBe(
      "# Report\n\n## Scope\n\nFirst paragraph.\n\n- apples\n- pears\n1. numbered\n\nSecond paragraph.\n\n" +
        "```\nif (x) {\n  y();\n}\n```\n\n###### Deep",
    );
  });

  it("leaves page furniture out", () => {
    expect(blocksToMarkdown([block("paragraph", "Text."), block("page_number", "3")])).toBe("Text.");
  });

  it("fences code containing backticks with a longer fence", () => {
    expect(blocksToMarkdown([block("code", "echo ```")])).toBe("````\necho ```\n````");
  });

  it("escapes paragraphs that would otherwise parse as markdown syntax", () => {
    expect(blocksToMarkdown([block("paragraph", "# not a heading")])).toBe("\\# not a heading");
    expect(blocksToMarkdown([block("paragraph", "- 5 degrees")])).toBe("\\- 5 degrees");
    expect(blocksToMarkdown([block("paragraph", "2024. A year")])).toBe("2024\\. A year");
  });
});

describe("pagesToMarkdown", () => {
  it("joins pages in order and skips empty ones", () => {
    const pages = [{ blocks: [block("paragraph", "one")] }, { blocks: [] }, { blocks: [block("paragraph", "two")] }];
    expect(pagesToMarkdown(pages)).toBe("one\n\ntwo");
  });
});
