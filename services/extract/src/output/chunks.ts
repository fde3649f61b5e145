import type { Block, Chunk, ExtractionPage } from "@quire/contracts";
import { blocksToMarkdown, isContent, type MarkdownOptions } from "./markdown.js";

export type ChunkStrategy = "section" | "page" | "size";

export interface ChunkOptions {
  /** @default "page" */
  strategy?: ChunkStrategy;
  /** Longest chunk text, in characters. @default 4000 with a strategy given, unbounded for the default page chunks */
  maxChars?: number;
}

export const DEFAULT_MAX_CHARS = 4000;
/** No chunk is cut smaller than this, whatever max_chars says. */
const MIN_MAX_CHARS = 200;

interface Unit {
  block: Block;
  page: number;
  /** Headings above this block, outermost first. */
  headings: string[];
  /** Markdown length of the block alone, the measure chunks are packed by. */
  size: number;
}

/**
 * Cuts an extraction into chunks for search and retrieval. `page`: one chunk per page;
 * `section`: a new chunk at every heading; `size`: blocks packed in reading order. Any chunk
 * longer than max_chars is cut between blocks, and a single block longer than that between
 * sentences. Each chunk names the pages and blocks it came from, so it can be cited.
 */
export function buildChunks(pages: readonly ExtractionPage[], opts: ChunkOptions, md: MarkdownOptions): Chunk[] {
  const strategy = opts.strategy ?? "page";
  const limit = opts.maxChars ?? (opts.strategy ? DEFAULT_MAX_CHARS : Infinity);
  const maxChars = Math.max(MIN_MAX_CHARS, limit);
  const units = unitsOf(pages, md);
  const groups =
    strategy === "page"
      ? splitWhen(units, (u, prev) => u.page !== prev.page)
      : strategy === "section"
        ? splitWhen(units, (u) => u.block.type === "heading" || u.block.type === "title")
        : [units];
  return groups.flatMap((g) => packBySize(g, maxChars)).flatMap((g) => toChunks(g, maxChars, md));
}

function unitsOf(pages: readonly ExtractionPage[], md: MarkdownOptions): Unit[] {
  const path: { level: number; text: string }[] = [];
  const units: Unit[] = [];
  for (const page of pages) {
    for (const block of page.blocks.filter(isContent)) {
      if (block.type === "title" || block.type === "heading") {
        const level = block.level ?? 1;
        while ((path.at(-1)?.level ?? 0) >= level) path.pop();
        path.push({ level, text: block.text });
      }
      units.push({ block, page: page.page_number, headings: path.map((h) => h.text), size: blocksToMarkdown([block], md).length + 2 });
    }
  }
  return units;
}

function splitWhen(units: readonly Unit[], starts: (u: Unit, prev: Unit) => boolean): Unit[][] {
  const groups: Unit[][] = [];
  for (const u of units) {
    const group = groups.at(-1);
    const prev = group?.at(-1);
    if (group && prev && !starts(u, prev)) group.push(u);
    else groups.push([u]);
  }
  return groups;
}

/** Greedy packing in reading order: a group grows until the next block would pass the limit. */
function packBySize(units: readonly Unit[], maxChars: number): Unit[][] {
  const out: Unit[][] = [];
  let size = Infinity;
  for (const u of units) {
    const group = out.at(-1);
    if (group && size + u.size <= maxChars) {
      group.push(u);
      size += u.size;
    } else {
      out.push([u]);
      size = u.size;
    }
  }
  return out;
}

/** A group as one chunk, or, when it is a single oversized block, as pieces cut between sentences. */
function toChunks(group: readonly Unit[], maxChars: number, md: MarkdownOptions): Chunk[] {
  const [first] = group;
  if (!first) return [];
  const text = blocksToMarkdown(
    group.map((u) => u.block),
    md,
  );
  const base = { pages: [...new Set(group.map((u) => u.page))], block_ids: group.map((u) => u.block.id), headings: first.headings };
  if (text.length <= maxChars || group.length > 1) return text === "" ? [] : [{ text, ...base }];
  return splitText(text, maxChars).map((piece) => ({ text: piece, ...base }));
}

/** Cuts text at sentence ends (or spaces, or anywhere) into pieces of at most maxChars. */
export function splitText(text: string, maxChars: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > maxChars) {
    const window = rest.slice(0, maxChars);
    const sentence = Math.max(...[". ", "? ", "! ", "\n"].map((s) => window.lastIndexOf(s)));
    const cut = sentence > maxChars / 3 ? sentence + 1 : window.lastIndexOf(" ") > maxChars / 3 ? window.lastIndexOf(" ") : maxChars;
    pieces.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.trim() !== "") pieces.push(rest.trim());
  return pieces;
}
