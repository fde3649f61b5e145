import type { TextItem } from "@quire/contracts";
import { joinItems, readingOrderOfItems } from "./line-text.js";
import { firstChar, isCjk, normalizeSpaces, spaceBetween } from "./text.js";

/**
 * A run of text items on one baseline, in points with the origin at the page's top-left.
 * Rows are cut into separate lines at wide gaps, so a line never spans a column gutter.
 */
export interface Line {
  text: string;
  x0: number;
  /** Top of the tallest item. */
  y0: number;
  x1: number;
  /** Bottom of the lowest item (≈ the baseline). */
  y1: number;
  baseline: number;
  /** The font size that carries most of the line's characters. */
  fontSize: number;
  /** (Nearly) every character is bold: a bold lead-in to a sentence does not make a bold line. */
  bold: boolean;
  /** Most characters are monospace. */
  monospace: boolean;
  /** Most characters are right-to-left script: the line reads from its right edge. */
  rtl: boolean;
  /**
   * A column of top-to-bottom text (vertical CJK): x0..x1 is its width, the "baseline" its
   * right edge, and such lines read right to left across the page.
   */
  vertical: boolean;
  /** Non-space characters: the weight of this line in document statistics. */
  chars: number;
  /** The items, in reading order. */
  items: readonly TextItem[];
  /** Set on the stand-in line of a table or figure, which is read as one unit (see elements.ts). */
  element?: PageElement;
}

/** A table or figure of the page, by its index in the page's list of that kind. */
export interface PageElement {
  kind: "table" | "figure";
  index: number;
}

/** A gap wider than this (in em) ends a line: wider than any word space, narrower than a gutter. */
export const SEGMENT_GAP_EM = 1.0;
/** Items whose baselines differ by less than this (in em of the taller) share a row; covers super/subscripts. */
const BASELINE_TOLERANCE_EM = 0.5;

const heightOf = (item: TextItem): number => (item.height > 0 ? item.height : Math.max(item.fontSize, 1));
const sizeOf = (item: TextItem): number => (item.fontSize > 0 ? item.fontSize : heightOf(item));
const baselineOf = (item: TextItem): number => item.y + heightOf(item);
const charsOf = (item: TextItem): number => item.text.replace(/\s/gu, "").length;

/** Groups a page's text items into lines, top to bottom, left to right within a row. */
export function groupLines(items: readonly TextItem[]): Line[] {
  // Whitespace-only items carry no geometry we trust; the gap they leave is what spaces words.
  // Items with non-finite positions (a damaged PDF) cannot be placed at all.
  const visible = items.filter((i) => i.text.trim() !== "" && [i.x, i.y, i.width, i.height, i.fontSize].every(Number.isFinite));
  const vertical = visible.filter((i) => i.dir === "ttb" || isRotated(i));
  const horizontal = vertical.length === 0 ? visible : visible.filter((i) => !vertical.includes(i));
  return [...clusterRows(horizontal).flatMap((row) => splitRow(row).map(buildLine)), ...verticalLines(vertical)];
}

/**
 * Text turned 90° (an arXiv stamp up the margin, a rotated table header): pdf.js says "ltr",
 * but its box is tall and narrow. It runs along y like vertical CJK, so it is laid out like it.
 */
function isRotated(item: TextItem): boolean {
  return item.dir !== "ttb" && item.text.trim().length >= 3 && item.height > 2 * item.width && item.height > 3 * sizeOf(item);
}

/**
 * Vertical (top-to-bottom) runs, one line per column of text: items whose x ranges overlap
 * share a column, read top down; columns come right to left, the way such pages read.
 */
function verticalLines(items: readonly TextItem[]): Line[] {
  const columns: { items: TextItem[]; x0: number; x1: number }[] = [];
  for (const item of [...items].sort((a, b) => b.x + b.width - (a.x + a.width) || a.y - b.y)) {
    const col = columns.find((c) => item.x < c.x1 && item.x + item.width > c.x0);
    if (col) {
      col.items.push(item);
      col.x0 = Math.min(col.x0, item.x);
      col.x1 = Math.max(col.x1, item.x + item.width);
    } else {
      columns.push({ items: [item], x0: item.x, x1: item.x + item.width });
    }
  }
  return columns.map((c) => buildVerticalLine(c.items.sort((a, b) => a.y - b.y)));
}

function buildVerticalLine(items: readonly TextItem[]): Line {
  const box = bounds(items.map((i) => ({ x0: i.x, y0: i.y, x1: i.x + i.width, y1: i.y + i.height })));
  return {
    text: normalizeSpaces(items.reduce((acc, i) => (spaceBetween(acc, i.text) ? `${acc} ${i.text}` : acc + i.text), "")),
    ...box,
    baseline: box.x1,
    fontSize: dominantSize(items),
    bold: shareOf(items, (i) => i.bold) >= 0.9,
    monospace: false,
    rtl: false,
    vertical: true,
    chars: items.reduce((n, i) => n + charsOf(i), 0),
    items,
  };
}

/** Sorts items by baseline and cuts a new row where the baseline jumps by more than the tolerance. */
function clusterRows(items: TextItem[]): TextItem[][] {
  const sorted = [...items].sort((a, b) => baselineOf(a) - baselineOf(b) || a.x - b.x);
  const rows: { items: TextItem[]; baseline: number; height: number }[] = [];
  for (const item of sorted) {
    const row = rows.at(-1);
    const tolerance = BASELINE_TOLERANCE_EM * Math.max(row?.height ?? 0, heightOf(item));
    if (row && Math.abs(baselineOf(item) - row.baseline) <= tolerance) {
      row.items.push(item);
      // The row's baseline is its tallest item's, so a superscript never drags it.
      if (heightOf(item) > row.height) Object.assign(row, { baseline: baselineOf(item), height: heightOf(item) });
    } else {
      rows.push({ items: [item], baseline: baselineOf(item), height: heightOf(item) });
    }
  }
  return rows.map((r) => r.items);
}

/** Orders a row left to right, drops overprinted duplicates, and cuts it at wide gaps. */
function splitRow(row: TextItem[]): TextItem[][] {
  const sorted = [...row].sort((a, b) => a.x - b.x);
  const segments: TextItem[][] = [];
  let prev: TextItem | undefined;
  let right = -Infinity; // right edge of the current segment (items may overlap)
  for (const item of sorted) {
    if (prev && isOverprint(prev, item)) continue;
    const current = segments.at(-1);
    if (!prev || !current || item.x - right > SEGMENT_GAP_EM * Math.max(sizeOf(prev), sizeOf(item))) {
      segments.push([item]);
      right = item.x + item.width;
    } else {
      current.push(item);
      right = Math.max(right, item.x + item.width);
    }
    prev = item;
  }
  return segments;
}

// Some producers fake bold by drawing the same text twice, a fraction of a point apart.
function isOverprint(a: TextItem, b: TextItem): boolean {
  return a.text === b.text && Math.abs(a.x - b.x) < 0.2 * sizeOf(a) && Math.abs(a.y - b.y) < 0.2 * sizeOf(a);
}

/**
 * Builds a line from items on one row. Text is joined in reading order: left to right, or
 * right to left when most of the line is right-to-left script (see line-text.ts).
 */
export function buildLine(items: readonly TextItem[]): Line {
  const ltr = [...items].sort((a, b) => a.x - b.x);
  const rtl = shareOf(ltr, (i) => i.dir === "rtl") > 0.5;
  const ordered = readingOrderOfItems(ltr, rtl);
  const main = dominantItem(ltr);
  return {
    text: joinItems(ordered),
    ...bounds(ltr.map((i) => ({ x0: i.x, y0: i.y, x1: i.x + i.width, y1: baselineOf(i) }))),
    baseline: baselineOf(main),
    fontSize: dominantSize(ltr),
    bold: shareOf(ltr, (i) => i.bold) >= 0.9,
    // CJK fonts are fixed-pitch, so pdf.js calls them monospace: that does not make them code.
    monospace: shareOf(ltr, (i) => i.monospace) > 0.5 && shareOf(ltr, (i) => isCjk(firstChar(i.text.trim()))) <= 0.5,
    rtl,
    vertical: false,
    chars: ltr.reduce((n, i) => n + charsOf(i), 0),
    items: ordered,
  };
}

/** The box around some boxes. A loop, not Math.min(...xs): a hostile page may hold 10⁶ items. */
export function bounds(boxes: Iterable<{ x0: number; y0: number; x1: number; y1: number }>): {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
} {
  const b = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
  for (const box of boxes) {
    b.x0 = Math.min(b.x0, box.x0);
    b.y0 = Math.min(b.y0, box.y0);
    b.x1 = Math.max(b.x1, box.x1);
    b.y1 = Math.max(b.y1, box.y1);
  }
  return b;
}

/**
 * Merges lines that share a row back into one (left to right). Used inside a single column,
 * where a wide gap on a row is a tab stop or a table cell, not a gutter.
 */
export function mergeRows(lines: readonly Line[]): Line[] {
  const sorted = [...lines].sort((a, b) => a.baseline - b.baseline || a.x0 - b.x0);
  const rows: Line[][] = [];
  for (const line of sorted) {
    const row = rows.at(-1);
    const anchor = row?.[0];
    // A table or figure is read whole; text beside it is not part of it.
    if (line.element || anchor?.element) {
      rows.push([line]);
      continue;
    }
    const tolerance = BASELINE_TOLERANCE_EM * Math.max(anchor?.fontSize ?? 0, line.fontSize);
    if (row && anchor && Math.abs(line.baseline - anchor.baseline) <= tolerance) row.push(line);
    else rows.push([line]);
  }
  return rows.map((row) => (row.length === 1 && row[0] ? row[0] : buildLine(row.flatMap((l) => l.items))));
}

function dominantItem(items: readonly TextItem[]): TextItem {
  return items.reduce((best, i) => (charsOf(i) * heightOf(i) > charsOf(best) * heightOf(best) ? i : best));
}

/** The size carrying the most characters (rounded to 0.1 pt so float noise doesn't split a size). */
function dominantSize(items: readonly TextItem[]): number {
  const weight = new Map<number, number>();
  for (const i of items) {
    const size = Math.round(sizeOf(i) * 10) / 10;
    weight.set(size, (weight.get(size) ?? 0) + Math.max(charsOf(i), 1));
  }
  return [...weight].reduce((best, cur) => (cur[1] > best[1] ? cur : best))[0];
}

/** The share of the items' characters that pass `test`. */
function shareOf(items: readonly TextItem[], test: (i: TextItem) => boolean): number {
  let yes = 0;
  let all = 0;
  for (const i of items) {
    const n = Math.max(charsOf(i), 1);
    all += n;
    if (test(i)) yes += n;
  }
  return yes / all;
}
