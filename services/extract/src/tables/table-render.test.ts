import type { TableCell } from "@quire/contracts";
import { describe, expect, it } from "vitest";
import { expandGrid, htmlTable, markdownTable } from "./table-render.js";

const cell = (text: string, row_span = 1, col_span = 1): TableCell => ({ text, bbox: [0, 0, 1, 1], row_span, col_span });

describe("expandGrid", () => {
  it("places cells around those spanning down from above, and repeats small spans' text", () => {
    expect(
      expandGrid([
        [cell("A", 2), cell("B", 1, 2)],
        [cell("b1"), cell("b2")],
      ]),
    ).toEqual([
      ["A", "B", "B"],
      ["A", "b1", "b2"],
    ]);
  });

  it("writes a big span (a form's box) once, at its top-left", () => {
    const grid = expandGrid([[cell("Box", 3, 3), cell("x")], [cell("y")], [cell("z")]]);
    expect(grid).toEqual([
      ["Box", "", "", "x"],
      ["", "", "", "y"],
      ["", "", "", "z"],
    ]);
  });
});

describe("rendering", () => {
  it("escapes pipes in markdown cells and markup in HTML cells", () => {
    expect(markdownTable([[cell("a|b"), cell("c")]])).toBe("| a\\|b | c |\n| --- | --- |");
    expect(htmlTable([[cell("<x> & y")]])).toBe("<table>\n<tr><th>&lt;x&gt; &amp; y</th></tr>\n</table>");
  });
});
