import type { Block, BlockType } from "@quire/contracts";
import type { DraftBlock } from "../layout/blocks.js";
import { sameSize } from "../lines/styles.js";

/** Blocks that float: a paragraph broken by a column or page break may have these in between. */
const FLOATS: ReadonlySet<BlockType> = new Set<BlockType>(["figure", "table", "caption", "header", "footer", "page_number"]);

// A paragraph that ends like this has ended.
const ENDED = /[.!?。！？:;؟۔]["'”’»)\]]*$/u;

interface Placed {
  block: Block;
  draft: DraftBlock;
}

/**
 * Marks paragraphs broken by a column or page break: when a flow's last paragraph has not
 * ended (no sentence-final punctuation) and the next flow's first paragraph goes on in lower
 * case (or the first ends in a hyphen or comma), at the same size, the second `continues`
 * the first. Floats (figures, tables, captions, furniture) at the break are skipped over.
 */
export function linkContinuations(pages: readonly (readonly Placed[])[]): void {
  const flows = pages.flatMap((placed) => flowsOf(placed));
  for (let i = 1; i < flows.length; i++) {
    const [before, after] = [flows[i - 1] ?? [], flows[i] ?? []];
    const a = lastText(before);
    const b = after.find((p) => !FLOATS.has(p.block.type));
    if (a && b && continues(a, b)) b.block.continues = a.block.id;
  }
}

/**
 * The flow's last block of running text: floats and footnotes (paragraphs in smaller type
 * than the flow's main text, like a first page's copyright notice) may follow it.
 */
function lastText(flow: readonly Placed[]): Placed | undefined {
  const text = flow.filter((p) => !FLOATS.has(p.block.type));
  const main = mainSize(text);
  const isFootnote = (p: Placed): boolean => p.block.type === "paragraph" && sizeOf(p) < main * 0.9;
  return text.findLast((p) => !isFootnote(p)) ?? text.at(-1);
}

const sizeOf = (p: Placed): number => p.draft.lines[0]?.fontSize ?? 0;

/** The font size carrying most of the flow's characters. */
function mainSize(flow: readonly Placed[]): number {
  const chars = new Map<number, number>();
  for (const p of flow) chars.set(sizeOf(p), (chars.get(sizeOf(p)) ?? 0) + p.block.text.length);
  return [...chars].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 0;
}

/** A page's blocks cut into flows (columns, bands), furniture left out; flows holding only floats dropped. */
function flowsOf(placed: readonly Placed[]): Placed[][] {
  const flows = new Map<number, Placed[]>();
  for (const p of placed) {
    if (p.draft.flow < 0) continue;
    const flow = flows.get(p.draft.flow) ?? [];
    flow.push(p);
    flows.set(p.draft.flow, flow);
  }
  return [...flows.values()].filter((f) => f.some((p) => !FLOATS.has(p.block.type)));
}

function continues(a: Placed, b: Placed): boolean {
  if (a.block.type !== "paragraph" || b.block.type !== "paragraph") return false;
  const [last, first] = [a.draft.lines.at(-1), b.draft.lines[0]];
  if (!last || !first || !sameSize(last.fontSize, first.fontSize)) return false;
  const text = a.block.text.trimEnd();
  if (ENDED.test(text)) return false;
  return /^\p{Ll}/u.test(b.block.text.trimStart()) || /[-,\u2010]$/u.test(text);
}
