import type { Block, BlockType } from "@quire/contracts";
import type { DraftBlock } from "../layout/blocks.js";
import { sectionDepth } from "../layout/classify.js";
import { MAX_LEVEL, roundSize } from "../lines/styles.js";

interface Placed {
  block: Block;
  draft: DraftBlock;
}

/** Furniture is not content: a heading is judged by what follows it on the page, not by its footer. */
const FURNITURE: ReadonlySet<BlockType> = new Set<BlockType>(["header", "footer", "page_number"]);
/** A title is set at least this much larger than the body text. */
const ENLARGED = 1.05;
/** Running text whose characters are letters at least this often can be read (digits, punctuation). */
const READABLE_SHARE = 0.6;
/** Bylines that may stand between a heading and its text. */
const MAX_BYLINES = 3;
/** A byline is one short line. */
const MAX_BYLINE_CHARS = 80;
/** What a heading may introduce besides running text. */
const CONTENT: ReadonlySet<BlockType> = new Set<BlockType>(["table", "figure", "code", "formula", "list_item", "caption"]);
/** A heading starts (or ends, or is centred) within this many em of the text it introduces. */
const ALIGN_EM = 2;
// Running text: three words in a row that start in lower case or in a script without case
// (Arabic, Hebrew, Han, Hangul…), or a long run of caseless letters (Chinese, Japanese).
// A sentence of three words or more counts too.
const RUNNING_TEXT = /(?:^|\s)[\p{Ll}\p{Lo}]\S*\s+[\p{Ll}\p{Lo}]\S*\s+[\p{Ll}\p{Lo}]|\p{Lo}{12}|\S+\s+\S+\s+\S+[.!?。！？؟۔]["'”’)\]]*$/u;

// A label and its value ("Balance due: $127.50", "Invoice no: 2026-0147"): after the colon, a
// value that is mostly digits and the signs around them, which no section title is.
const FIELD = /^[^:]{1,40}:\s*(\S.*)$/u;
function isField(text: string): boolean {
  const value = FIELD.exec(text.trim())?.[1]?.replace(/\s+/gu, "");
  if (!value || !/\d/u.test(value)) return false;
  const letters = [...value].filter((c) => /\p{L}/u.test(c)).length;
  return letters * 2 < value.length;
}

/**
 * Settles the document's headings once every page is laid out, since a page alone cannot
 * tell: which candidates are headings, and at what level.
 *
 * A candidate is a heading when it introduces something: running text, a table, a figure, a
 * list (or another heading that does), directly or past a byline; a heading set larger than
 * the body stands over any text set smaller than itself. A bold one at body size must also be aligned with it
 * (start, end or centre). Bold labels of a letter or an invoice ("Bill to" over an address,
 * "Total due" right of the text) introduce nothing and stay text, and so does a label with its
 * value on one line ("Balance due: $127.50"), however large.
 * Numbered sections ("2.1 Data") and the title (the document's first candidate, in its largest
 * heading font, larger than the body) are headings whatever follows them.
 *
 * Levels come from the document's own heading sizes, ranked (bold or not at one size is one
 * level): the title's size is `#`, the next ones `##`, `###`… A size used by numbered sections takes its level
 * from their numbering ("2" → `##`, "2.1" → `###`), and so do the unnumbered headings in
 * it ("References" beside "3 Results"). With no single title (the largest font set more than
 * once), the largest font is `##`, so the markdown keeps one outline under no `#`. A heading
 * that opens the document, in a font of its own, above sections of a shallower level, is the
 * title, not a deeper heading over them.
 */
export function settleHeadings(pages: readonly (readonly Placed[])[], bodySize: number): void {
  const content = pages.flatMap((p) => p.filter((x) => !FURNITURE.has(x.block.type)));
  const isCandidate = (x: Placed): boolean => x.block.type === "title" || x.block.type === "heading";
  const candidates = content.filter(isCandidate);
  if (candidates.length === 0) return;
  // A heading's font size, to the half point: levels are ranked over these.
  const sizeOf = (x: Placed): number => roundSize(Math.max(...x.draft.lines.map((l) => l.fontSize)));
  const largest = Math.max(...candidates.map(sizeOf));
  const first = candidates[0];

  // Backwards, so that a heading over a heading knows whether the lower one stands. Where
  // the text layer cannot be read (glyphs mapped to punctuation), what follows a heading
  // cannot be judged, and every candidate stands.
  const judge = readable(content);
  const accepted = new Set<Placed>();
  for (let i = content.length - 1; i >= 0; i--) {
    const x = content[i] as Placed;
    if (!isCandidate(x)) continue;
    if (!judge) {
      accepted.add(x);
      continue;
    }
    const opensDocument = x === first && sizeOf(x) === largest && largest > bodySize * ENLARGED;
    const enlarged = sizeOf(x) > bodySize * ENLARGED;
    // A byline, a date line or a short subtitle or two may stand between a heading and its text.
    let stands = false;
    for (let k = i + 1; k <= i + 1 + MAX_BYLINES && !stands; k++) {
      const y = content[k];
      if (!y) break;
      stands = introduces(x, y, accepted, !enlarged);
      if (!isByline(y)) break;
    }
    const numbered = sectionDepth(x.block.text) !== undefined;
    if (!numbered && isField(x.block.text)) demote(x);
    else if (opensDocument || numbered || stands) accepted.add(x);
    else demote(x);
  }
  const headings = candidates.filter((x) => accepted.has(x));
  if (headings.length === 0) return;

  const uses = new Map<number, Placed[]>();
  for (const x of headings) uses.set(sizeOf(x), [...(uses.get(sizeOf(x)) ?? []), x]);
  const ranked = [...uses].sort((a, b) => b[0] - a[0]);
  // A title is set larger than the body; bold body-size text is a heading under one.
  const [top] = ranked;
  const hasTitle = top !== undefined && top[1].length === 1 && top[0] > bodySize * ENLARGED;
  const levels = new Map<number, number>();
  let previous = hasTitle ? 0 : 1;
  for (const [size, set] of ranked) {
    const depths = set.map((x) => sectionDepth(x.block.text)).filter((d) => d !== undefined);
    const level = depths.length > 0 ? mode(depths) + 1 : previous + 1;
    levels.set(size, Math.min(level, MAX_LEVEL));
    previous = level;
  }
  const levelOf = (x: Placed): number => {
    const depth = sectionDepth(x.block.text);
    return Math.min(depth !== undefined ? depth + 1 : (levels.get(sizeOf(x)) ?? MAX_LEVEL), MAX_LEVEL);
  };
  const settled = headings.map((x) => ({ x, level: levelOf(x) }));
  const [opening, ...rest] = settled;
  if (
    opening &&
    opening.level > 1 &&
    sectionDepth(opening.x.block.text) === undefined &&
    uses.get(sizeOf(opening.x))?.length === 1 &&
    rest.some((h) => h.level < opening.level) &&
    !rest.some((h) => h.level === 1)
  )
    opening.level = 1;
  for (const { x, level } of settled) {
    x.block.type = level === 1 ? "title" : "heading";
    x.block.level = level;
    x.draft.type = x.block.type;
    x.draft.level = level;
  }
}

/**
 * Whether a heading candidate stands over `next`: content it introduces, and, if `aligned`
 * (bold text at body size, which labels and table headers are set in too), aligned with it.
 */
function introduces(heading: Placed, next: Placed, accepted: ReadonlySet<Placed>, aligned: boolean): boolean {
  const type = next.block.type;
  // Text set in smaller type than an enlarged heading is what it heads, running text or not.
  const smaller =
    !aligned && Math.max(...next.draft.lines.map((l) => l.fontSize)) < Math.min(...heading.draft.lines.map((l) => l.fontSize));
  const what =
    (type === "paragraph" && (smaller || RUNNING_TEXT.test(next.block.text))) ||
    CONTENT.has(type) ||
    ((type === "title" || type === "heading") && accepted.has(next));
  if (!what || !aligned) return what;
  const [h, n] = [heading.draft.box, next.draft.box];
  const em = Math.max(...heading.draft.lines.map((l) => l.fontSize));
  const near = (a: number, b: number): boolean => Math.abs(a - b) <= ALIGN_EM * em;
  return near(h.x0, n.x0) || near(h.x1, n.x1) || near((h.x0 + h.x1) / 2, (n.x0 + n.x1) / 2);
}

/**
 * One short line of text that does not lead into what follows (a salutation or a lead-in ends
 * in a comma or colon): a byline or date under a heading.
 */
function isByline(x: Placed): boolean {
  return (
    x.block.type === "paragraph" && x.draft.lines.length === 1 && x.block.text.length <= MAX_BYLINE_CHARS && !/[,:;]$/u.test(x.block.text)
  );
}

/** Whether most of the running text's characters are letters (not a text layer of symbols). */
function readable(content: readonly Placed[]): boolean {
  let letters = 0;
  let all = 0;
  for (const x of content) {
    if (x.block.type !== "paragraph" && x.block.type !== "list_item") continue;
    all += x.block.text.replace(/\s/gu, "").length;
    letters += x.block.text.replace(/[^\p{L}]/gu, "").length;
  }
  return letters >= READABLE_SHARE * all;
}

function demote(x: Placed): void {
  x.block.type = "paragraph";
  delete x.block.level;
  x.draft.type = "paragraph";
  delete x.draft.level;
}

/** The most frequent value; ties go to the smallest. */
function mode(values: readonly number[]): number {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0] ?? 1;
}
