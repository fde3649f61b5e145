import type { Block } from "@quire/contracts";
import { describe, expect, it } from "vitest";
import { blocksToMarkdown } from "./markdown.js";

let n = 0;
const block = (type: Block["type"], text: string, level?: number): Block => ({
  id: `p1-b${++n}`,
  type,
  text,
  bbox: [0, 0, 1, 1],
  ...(level === undefined ? {} : { level }),
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

  it("starts a new list (blank line, the other bullet) where a list stands beside the one before it", () => {
    const at = (text: string, bbox: Block["bbox"]): Block => ({ ...block("list_item", text), bbox });
    const md = blocksToMarkdown([
      at("left one", [0.05, 0.2, 0.45, 0.25]),
      at("left two", [0.05, 0.26, 0.45, 0.31]),
      at("right one", [0.55, 0.2, 0.95, 0.25]),
      at("right two", [0.55, 0.26, 0.95, 0.31]),
      // Under the right list, back at the left margin: the next page's items, or a list below.
      at("next page", [0.05, 0.05, 0.45, 0.1]),
    ]);
    expect(md).toBe("- left one\n- left two\n\n* right one\n* right two\n* next page");
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

describe("blocksToMarkdown: structure", () => {
  it("nests list items by level, four spaces a level", () => {
    const md = blocksToMarkdown([
      block("list_item", "1. first", 1),
      block("list_item", "inner", 2),
      block("list_item", "innermost", 3),
      block("list_item", "2. second", 1),
    ]);
    expect(md).toBe("1. first\n    - inner\n        - innermost\n2. second");
  });

  it("joins a paragraph that continues one across a page break", () => {
    const first = block("paragraph", "the sentence runs on into the");
    const header = block("header", "Running head");
    const next = { ...block("paragraph", "next page and ends."), continues: first.id };
    expect(blocksToMarkdown([first, header, next])).toBe("the sentence runs on into the next page and ends.");
  });

  it("renders a table block as its pipe table, or from the structured table as HTML", () => {
    const t = block("table", "| Year | Ducks |\n| --- | --- |\n| 2019 | 120 |");
    const cell = (text: string, col_span = 1) => ({ text, bbox: [0, 0, 1, 1] as Block["bbox"], row_span: 1, col_span });
    const table = {
      block_id: t.id,
      page_number: 1,
      bbox: t.bbox,
      rows: [
        [cell("Year"), cell("Ducks")],
        [cell("2019"), cell("120")],
      ],
    };
    const tablesByBlock = new Map([[t.id, table]]);
    expect(blocksToMarkdown([t], { tablesByBlock })).toBe("| Year | Ducks |\n| --- | --- |\n| 2019 | 120 |");
    expect(blocksToMarkdown([t], { tablesByBlock, tables: "html" })).toBe(
      "<table>\n<tr><th>Year</th><th>Ducks</th></tr>\n<tr><td>2019</td><td>120</td></tr>\n</table>",
    );
  });

  it("puts formulas in $$ and figures as a placeholder", () => {
    expect(blocksToMarkdown([block("formula", "a2 + 8 = 12"), block("figure", "axis labels")])).toBe(
      "$$\na2 + 8 = 12\n$$\n\n<!-- image -->",
    );
  });
});
