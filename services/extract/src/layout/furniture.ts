import type { Line } from "../lines/lines.js";
import type { DocumentStyle } from "../lines/styles.js";

/** Page furniture: kept as blocks, left out of the markdown. */
export type FurnitureType = "header" | "footer" | "page_number";

/** A page as furniture detection sees it: its lines and height in points. */
export interface FurniturePage {
  lines: readonly Line[];
  width: number;
  height: number;
  /** Pages in the document being laid out. */
  pageCount: number;
}

/** Running headers and footers live in the outer share of the page... */
const ZONE_SHARE = 0.15;
/** ...page numbers too, though some sit at the foot of the text block, further in. */
const PAGE_NUMBER_ZONE_SHARE = 0.25;
/** A header no other page repeats (in documents this short) must sit in the outermost share, and be centred. */
const MAX_PAGES_FOR_LONE = 2;
const LONE_ZONE_SHARE = 0.1;
const CENTRED_SHARE = 0.05;
/** Sideways text this close to the left or right edge (share of the width) is a margin stamp. */
const SIDE_MARGIN_SHARE = 0.12;
/** A repeated line sits at the same height on every page, within this share of the page. */
const SAME_PLACE_SHARE = 0.02;
/** A line is running furniture when it repeats on this share of the pages (at least 2, at most 4 pages). */
const TWIN_SHARE = 0.1;
const MAX_TWINS_NEEDED = 4;
/** Running heads are labels; a repeated line longer than this is boilerplate text, and content. */
const MAX_TWIN_CHARS = 100;
/** Rows at most this many from the top or bottom edge are candidates (header text + a rule line + a date). */
const MAX_ZONE_ROWS = 3;
/** A lone header is separated from the content by this many of its line heights... */
const ISOLATION = 1.5;
/** ...a page number, by one... */
const PAGE_NUMBER_ISOLATION = 1;
/** ...a running head with a page number in it too (a table of contents' first entry is not set apart). */
const RUNNING_HEAD_ISOLATION = 1;
/** Lone headers are short labels ("Sheet1", a journal name), not sentences. */
const MAX_LONE_CHARS = 60;

const PAGE_NUMBER =
  /^(?:page\s+|p\.\s*|s\.\s*|seite\s+)?[-–—]?\s*(?:\d{1,4}|[ivxlc]{1,7})\s*[-–—]?(?:\s*(?:of|\/|von|de|sur)\s*\d{1,4})?$/iu;

/**
 * Finds each page's running headers, footers and page numbers, as lines of the page:
 * (a) in the top or bottom zone, with a twin (same text, digits aside) at the same height on
 * another page; (b) the outermost row, only page numbers ("7", "Page 3 of 9", "- iv -"), set
 * apart; (c) the outermost row in the zone, text with a page number at one end (a journal's
 * running head); (d) in a document of one or two pages, where nothing can repeat, a short,
 * plain, centred label in the top band, set apart ("Sheet1").
 * A lone line at the foot of a page is left as content: nothing tells it from a last line.
 */
export function findFurniture(pages: readonly FurniturePage[], style: DocumentStyle): Map<Line, FurnitureType>[] {
  const candidates = pages.map((p) => zoneRows(p));
  const seen = repeatedKeys(candidates, pages);
  return pages.map((page, i) => {
    const found = new Map<Line, FurnitureType>();
    // From each edge inwards: furniture sits at the edge, so the first row that is not
    // furniture ends the search on that side.
    for (const top of [true, false]) {
      for (const row of (candidates[i] ?? []).filter((r) => r.top === top)) {
        classifyRow(row, page, style, seen, found);
        if (!row.lines.some((l) => found.has(l))) break;
      }
    }
    for (const line of marginStamps(page)) found.set(line, "header");
    return found;
  });
}

interface ZoneRow {
  lines: Line[];
  top: boolean;
  /** Space between this row and the next row towards the page's content. */
  gap: number;
  /** The row is the outermost one on its side of the page. */
  outermost: boolean;
  /** Distance of its inner edge from the page edge, as a share of the page height. */
  depth: number;
}

function classifyRow(row: ZoneRow, page: FurniturePage, style: DocumentStyle, seen: Set<string>, found: Map<Line, FurnitureType>): void {
  const side: FurnitureType = row.top ? "header" : "footer";
  const plain = row.lines.every((l) => l.fontSize <= style.bodySize * 1.05 + 0.01);
  const height = Math.max(...row.lines.map((l) => l.y1 - l.y0));
  const numbers = row.lines.filter((l) => PAGE_NUMBER.test(l.text.trim()));
  const mark = (): void => {
    for (const l of row.lines) found.set(l, numbers.includes(l) ? "page_number" : side);
  };
  if (!plain) return;
  // A twin has words: digits are masked, so any number (a table cell, a listing's line
  // number) would meet one at the same height somewhere. Page numbers have their own rule.
  const twin = (l: Line): boolean => /\p{L}{2}/u.test(l.text) && l.text.length <= MAX_TWIN_CHARS && seen.has(placeKey(l, page));
  if (row.depth <= ZONE_SHARE && row.lines.some(twin)) return mark();
  if (!row.outermost) return;
  // One number alone on the row: several ("2019  120") are a table's row going on from the last page.
  if (row.lines.length === 1 && numbers.length === 1 && row.gap >= PAGE_NUMBER_ISOLATION * height) return mark();
  if (row.depth > ZONE_SHARE) return;
  if (isRunningHead(row.lines, numbers) && row.gap >= RUNNING_HEAD_ISOLATION * height) return mark();
  const centred =
    Math.abs((Math.min(...row.lines.map((l) => l.x0)) + Math.max(...row.lines.map((l) => l.x1))) / 2 - page.width / 2) <=
    CENTRED_SHARE * page.width;
  // With a few pages to compare, running heads show by repeating; a line seen once is content.
  const unverifiable = page.pageCount <= MAX_PAGES_FOR_LONE;
  const lone =
    unverifiable && row.top && row.lines.length === 1 && centred && row.depth <= LONE_ZONE_SHARE && row.gap >= ISOLATION * height;
  if (lone && row.lines.every((l) => !l.bold && l.text.length <= MAX_LONE_CHARS)) mark();
}

/**
 * Text turned sideways in the left or right margin (arXiv's identifier stamp, a proof's
 * slug): page furniture. Vertical CJK columns (dir "ttb") are the text itself, not this.
 */
function marginStamps(page: FurniturePage): Line[] {
  const margin = SIDE_MARGIN_SHARE * page.width;
  return page.lines.filter((l) => l.vertical && l.items.every((i) => i.dir !== "ttb") && (l.x1 <= margin || l.x0 >= page.width - margin));
}

/** Text with one page number at either end of the row, as journals set their running heads. */
function isRunningHead(lines: readonly Line[], numbers: readonly Line[]): boolean {
  const [number] = numbers;
  if (numbers.length !== 1 || !number || lines.length < 2) return false;
  const atEnd = number === lines[0] || number === lines.at(-1);
  return atEnd && lines.every((l) => l === number || /\p{L}{2}/u.test(l.text));
}

/** Rows (lines sharing a baseline) near the top and bottom edges, outermost first on each side. */
function zoneRows(page: FurniturePage): ZoneRow[] {
  const rows = groupRows(page.lines);
  const out: ZoneRow[] = [];
  const limit = PAGE_NUMBER_ZONE_SHARE * page.height;
  for (let k = 0; k < Math.min(MAX_ZONE_ROWS, rows.length - 1); k++) {
    const [row, next] = [rows[k], rows[k + 1]];
    if (!row || !next || bottomOf(row) > limit) break;
    out.push({ lines: row, top: true, gap: topOf(next) - bottomOf(row), outermost: k === 0, depth: bottomOf(row) / page.height });
  }
  for (let k = rows.length - 1; k > Math.max(0, rows.length - 1 - MAX_ZONE_ROWS); k--) {
    const [row, prev] = [rows[k], rows[k - 1]];
    if (!row || !prev || topOf(row) < page.height - limit) break;
    out.push({
      lines: row,
      top: false,
      gap: topOf(row) - bottomOf(prev),
      outermost: k === rows.length - 1,
      depth: 1 - topOf(row) / page.height,
    });
  }
  return out;
}

const topOf = (row: readonly Line[]): number => Math.min(...row.map((l) => l.y0));
const bottomOf = (row: readonly Line[]): number => Math.max(...row.map((l) => l.y1));

/** Lines whose vertical extents overlap by half the smaller height share a row. */
function groupRows(lines: readonly Line[]): Line[][] {
  const rows: Line[][] = [];
  for (const line of [...lines].filter((l) => !l.vertical).sort((a, b) => a.y0 - b.y0)) {
    const row = rows.at(-1);
    const overlap = row ? Math.min(bottomOf(row), line.y1) - Math.max(topOf(row), line.y0) : 0;
    if (row && overlap >= 0.5 * Math.min(line.y1 - line.y0, bottomOf(row) - topOf(row))) row.push(line);
    else rows.push([line]);
  }
  return rows;
}

/** Text with digits (and lone roman numerals) masked, and the line's height band on the page. */
function placeOf(line: Line, page: FurniturePage): { band: number; text: string } {
  const text = line.text
    .toLowerCase()
    .replace(/\d+/gu, "#")
    .replace(/\b[ivxlc]{1,7}\b/gu, "#")
    .replace(/\s+/gu, " ")
    .trim();
  return { band: Math.round(line.y0 / (SAME_PLACE_SHARE * page.height)), text };
}

function placeKey(line: Line, page: FurniturePage): string {
  const { band, text } = placeOf(line, page);
  return `${band}|${text}`;
}

/** Keys of zone lines that occur on more than one page (each key counted once per page). */
function repeatedKeys(candidates: readonly ZoneRow[][], pages: readonly FurniturePage[]): Set<string> {
  const pagesWith = new Map<string, number>();
  candidates.forEach((rows, i) => {
    const page = pages[i];
    if (!page) return;
    // Neighbouring bands too, so a line right on a band edge still meets its twin.
    const keys = new Set(
      rows.flatMap((r) =>
        r.lines.flatMap((l) => {
          const { band, text } = placeOf(l, page);
          return [band - 1, band, band + 1].map((b) => `${b}|${text}`);
        }),
      ),
    );
    for (const k of keys) pagesWith.set(k, (pagesWith.get(k) ?? 0) + 1);
  });
  // Two pages suffice in a short document; a book's chapter openers also share a layout, so
  // a long one asks for a few more (odd/even heads still repeat on a tenth of the pages).
  const needed = Math.max(2, Math.min(MAX_TWINS_NEEDED, Math.ceil(TWIN_SHARE * pages.length)));
  return new Set([...pagesWith].filter(([, n]) => n >= needed).map(([k]) => k));
}
