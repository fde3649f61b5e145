import type { Block, BlockType, Table } from "@quire/contracts";
import { renderTable, type TableFormat } from "../tables/table-render.js";
import { joinLines } from "../lines/text.js";

/** Page furniture: kept as blocks (with bboxes) but left out of the reading text. */
const FURNITURE: ReadonlySet<BlockType> = new Set<BlockType>(["page_number", "header", "footer"]);

/** Whether a block belongs in the markdown and the chunks. */
export const isContent = (block: Block): boolean => !FURNITURE.has(block.type);

export interface MarkdownOptions {
  /** @default "markdown" */
  tables?: TableFormat;
  /** The structured tables, by the id of their `table` block. */
  tablesByBlock?: ReadonlyMap<string, Table>;
}

interface Part {
  block: Block;
  md: string;
}

/**
 * Renders blocks (in reading order, any number of pages) as markdown: headings as `#`…,
 * paragraphs separated by blank lines, list items as one tight list nested by level, code
 * fenced, formulas in `$$`, tables as pipe tables (or HTML), figures as a placeholder. A
 * paragraph that continues one before it (a column or page break) is joined to it.
 */
export function blocksToMarkdown(blocks: readonly Block[], opts: MarkdownOptions = {}): string {
  const parts: Part[] = [];
  const partOf = new Map<string, Part>();
  for (const block of blocks.filter(isContent)) {
    const host = block.continues ? partOf.get(block.continues) : undefined;
    if (host) {
      host.md = joinLines(host.md, escapeLeading(block.text.trim()));
      partOf.set(block.id, host);
      continue;
    }
    const md = renderBlock(block, opts);
    if (md === "") continue;
    const part = { block, md };
    parts.push(part);
    partOf.set(block.id, part);
  }
  let bullet = "-";
  return parts
    .map((p, i) => {
      const prev = parts[i - 1];
      const list = p.block.type === "list_item";
      const continued = list && prev?.block.type === "list_item";
      // A list set beside the one before it (a slide's second column) is a list of its own: a
      // blank line and the other bullet character, which CommonMark reads as a new list.
      const besideList = continued && besideOf(prev.block, p.block);
      if (!list) bullet = "-";
      else if (besideList) bullet = bullet === "-" ? "*" : "-";
      const md = list && bullet !== "-" ? p.md.replace(/^(\s*)- /u, `$1${bullet} `) : p.md;
      if (!prev) return md;
      // List items stay in one list: a single newline between them, a blank line around the list.
      return continued && !besideList ? `\n${md}` : `\n\n${md}`;
    })
    .join("");
}

/**
 * Whether a top-level list item starts beside the one before it rather than under it: to the
 * right of where that one ends, and higher than its bottom (another column of the same page).
 */
function besideOf(prev: Block, next: Block): boolean {
  if ((next.level ?? 1) > 1) return false;
  return next.bbox[0] >= prev.bbox[2] && next.bbox[1] < prev.bbox[3];
}

function renderBlock(block: Block, opts: MarkdownOptions): string {
  const text = block.text.trim();
  switch (block.type) {
    case "table": {
      // A table block's text already is its pipe table; only HTML needs rendering.
      const table = opts.tables === "html" ? opts.tablesByBlock?.get(block.id) : undefined;
      return table ? renderTable(table.rows, "html") : text;
    }
    case "figure":
      // Like docling: the picture's labels are in the block's text, not in the reading text.
      return "<!-- image -->";
    case "title":
    case "heading":
      return text === "" ? "" : `${"#".repeat(clampLevel(block.level))} ${oneLine(text)}`;
    case "list_item":
      return text === "" ? "" : listItem(text, block.level);
    case "code":
      return text === "" ? "" : fenced(block.text);
    case "formula":
      return text === "" ? "" : `$$\n${text}\n$$`;
    default:
      return escapeLeading(text);
  }
}

/** Four spaces per level: enough to nest under both "- " and "10. " parents in CommonMark. */
function listItem(text: string, level: number | undefined): string {
  const indent = "    ".repeat(Math.max(0, (level ?? 1) - 1));
  // "3. text" is already a markdown ordered item; other markers ("a)", "(iv)") ride along as text.
  return indent + (/^\d{1,9}[.)]\s/u.test(text) ? oneLine(text) : `- ${oneLine(text)}`);
}

const clampLevel = (level: number | undefined): number => Math.min(6, Math.max(1, level ?? 1));
const oneLine = (s: string): string => s.replace(/\s*\n\s*/gu, " ");

/** A fence longer than any backtick run inside the code, so the code cannot close it. */
function fenced(code: string): string {
  const longest = Math.max(0, ...[...code.matchAll(/`+/gu)].map((m) => m[0].length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return `${fence}\n${code.replace(/\s+$/u, "")}\n${fence}`;
}

/**
 * A paragraph that happens to start like markdown syntax ("# 1", "- 5 °C", "1. ", "> ")
 * would render as a heading, list or quote; a backslash keeps it a paragraph.
 */
function escapeLeading(text: string): string {
  if (/^(?:#{1,6}(?:\s|$)|[-*+]\s|>|\d{1,9}[.)]\s)/u.test(text)) {
    return /^\d/u.test(text) ? text.replace(/^(\d+)([.)])/u, "$1\\$2") : `\\${text}`;
  }
  return text;
}
