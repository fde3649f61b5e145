import type { Block, BlockType } from "@quire/contracts";

/** Page furniture: kept as blocks (with bboxes) but left out of the reading text. */
const FURNITURE: ReadonlySet<BlockType> = new Set<BlockType>(["page_number", "header", "footer"]);

/** Whether a block belongs in the markdown and the chunks. */
export const isContent = (block: Block): boolean => !FURNITURE.has(block.type);

/**
 * Renders one page's blocks as markdown: headings as `#`…`######`, paragraphs separated by
 * blank lines, consecutive list items as one tight list (`- ` or `1. `), code fenced.
 */
export function blocksToMarkdown(blocks: readonly Block[]): string {
  const parts: string[] = [];
  let prev: Block | undefined;
  for (const block of blocks.filter(isContent)) {
    const md = renderBlock(block);
    if (md === "") continue;
    // List items stay in one list: a single newline between them, a blank line around the list.
    if (prev?.type === "list_item" && block.type === "list_item") parts.push(`\n${md}`);
    else parts.push(parts.length === 0 ? md : `\n\n${md}`);
    prev = block;
  }
  return parts.join("");
}

/** The whole document: pages in order, separated by a blank line. */
export function pagesToMarkdown(pages: readonly { blocks: readonly Block[] }[]): string {
  return pages
    .map((p) => blocksToMarkdown(p.blocks))
    .filter((md) => md !== "")
    .join("\n\n");
}

function renderBlock(block: Block): string {
  const text = block.text.trim();
  if (text === "") return "";
  switch (block.type) {
    case "title":
    case "heading":
      return `${"#".repeat(clampLevel(block.level))} ${oneLine(text)}`;
    case "list_item":
      // "3. text" is already a markdown ordered item; other markers ("a)", "(iv)") ride along as text.
      return /^\d{1,9}[.)]\s/u.test(text) ? oneLine(text) : `- ${oneLine(text)}`;
    case "code":
      return fenced(block.text);
    default:
      return escapeLeading(text);
  }
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
