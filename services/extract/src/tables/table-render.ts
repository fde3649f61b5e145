import type { TableCell } from "@quire/contracts";

/** How tables appear in the markdown. */
export type TableFormat = "markdown" | "html";

/** The rows of a structured table; each cell knows its spans but not its column. */
type Rows = readonly (readonly TableCell[])[];

/** A spanning cell's text repeats over the grid positions it covers, up to this many of them. */
const MAX_REPEAT = 6;

/**
 * Lays cells out on the full grid, in the way HTML does: each row's cells fill the next free
 * positions left to right, skipping those taken by a cell spanning down from above. Every
 * position a small spanning cell covers gets its text, so a header over three columns
 * repeats over them (the convention docling uses, and each row still reads whole); a big
 * one (a form's box over twenty positions) is written once, at its top-left.
 */
export function expandGrid(rows: Rows): string[][] {
  const grid: (string | undefined)[][] = rows.map(() => []);
  rows.forEach((cells, r) => {
    let c = 0;
    for (const cell of cells) {
      while (grid[r]?.[c] !== undefined) c++;
      const repeat = Math.max(1, cell.row_span) * Math.max(1, cell.col_span) <= MAX_REPEAT;
      for (let dr = 0; dr < Math.max(1, cell.row_span); dr++) {
        const row = grid[r + dr];
        if (!row) continue;
        for (let dc = 0; dc < Math.max(1, cell.col_span); dc++) row[c + dc] = repeat || (dr === 0 && dc === 0) ? cell.text : "";
      }
      c += Math.max(1, cell.col_span);
    }
  });
  const width = Math.max(0, ...grid.map((row) => row.length));
  return grid.map((row) => Array.from({ length: width }, (_, c) => row[c] ?? ""));
}

/** A GitHub-flavoured pipe table; the first row is the header. */
export function markdownTable(rows: Rows): string {
  const grid = expandGrid(rows).filter((row) => row.some((t) => t !== ""));
  const [head, ...body] = grid;
  if (!head) return "";
  const line = (cells: readonly string[]): string => `| ${cells.map(pipeCell).join(" | ")} |`;
  return [line(head), `|${head.map(() => " --- ").join("|")}|`, ...body.map(line)].join("\n");
}

/** An HTML table keeping row and column spans; the first row's cells are headers. */
export function htmlTable(rows: Rows): string {
  const out = ["<table>"];
  rows.forEach((cells, r) => {
    if (cells.length === 0) return;
    const tag = r === 0 ? "th" : "td";
    const tds = cells.map((c) => {
      const span = `${c.row_span > 1 ? ` rowspan="${c.row_span}"` : ""}${c.col_span > 1 ? ` colspan="${c.col_span}"` : ""}`;
      return `<${tag}${span}>${escapeHtml(c.text)}</${tag}>`;
    });
    out.push(`<tr>${tds.join("")}</tr>`);
  });
  out.push("</table>");
  return out.join("\n");
}

export function renderTable(rows: Rows, format: TableFormat): string {
  return format === "html" ? htmlTable(rows) : markdownTable(rows);
}

// A pipe inside a cell would end it; a newline would end the row.
const pipeCell = (text: string): string => text.replace(/\s+/gu, " ").replace(/\|/gu, "\\|").trim();

const escapeHtml = (text: string): string =>
  text.replace(/&/gu, "&amp;").replace(/</gu, "&lt;").replace(/>/gu, "&gt;").replace(/"/gu, "&quot;");
