import type { Line, PageElement } from "../lines/lines.js";
import type { Box } from "../tables/rulings.js";

/**
 * The stand-in line of a table or figure: its box, no text. Reading order places it like a
 * line (inside a column, or spanning the columns when it is wide), and the paragraph and
 * block steps turn it back into one `table` or `figure` block.
 */
export function elementLine(element: PageElement, box: Box, fontSize: number): Line {
  return {
    text: "",
    ...box,
    baseline: box.y1,
    fontSize,
    bold: false,
    monospace: false,
    rtl: false,
    vertical: false,
    chars: 0,
    items: [],
    element,
  };
}
