import { bounds, mergeRows, type Line } from "../lines/lines.js";
import { sameSize } from "../lines/styles.js";
import { parseListMarker } from "./list-items.js";

/**
 * Lines read one after another, top to bottom. A flow is a column (or a full-width band),
 * so a paragraph never continues from one flow into the next.
 */
export type Flow = Line[];

/** Columns inside columns (3-column pages split twice); deeper is never a real layout. */
const MAX_DEPTH = 4;
/** Each side of a gutter needs this many lines... */
const MIN_COLUMN_LINES = 3;
/** ...of running text: label/value pairs and table cells are shorter than this many characters... */
const MIN_COLUMN_CHARS = 15;
/** ...and such lines carry this share of the side's characters (the rest may be figure labels). */
const MIN_LONG_LINE_SHARE = 0.5;
/** Full-width lines (titles, spanning figures' captions) may cross a gutter, but only a minority. */
const MAX_SPANNING_SHARE = 0.6;
/** A gutter is never this close (fraction of the text width) to the text's left or right edge. */
const EDGE_MARGIN = 0.1;
/** The two sides must sit side by side for this share of the shorter side's height. */
const MIN_SIDE_OVERLAP = 0.25;
/** A text box or list beside another holds this many rows (see isBoxColumn). */
const MIN_BOX_ROWS = 2;
/** Widest region (in points) profiled for gutters; A0 paper is 2384 pt wide. */
const MAX_REGION_WIDTH = 20_000;

/**
 * Orders a page's lines for reading: column by column, top to bottom within a column, with
 * lines that span the gutter (titles, full-width abstracts, footers) placed by their height
 * on the page: before the columns beneath them, after the columns above them.
 */
export function orderLines(lines: readonly Line[]): Flow[] {
  const vertical = lines.filter((l) => l.vertical);
  if (vertical.length === 0) return orderRegion(lines, 0, mergeRows, true).filter((flow) => flow.length > 0);
  const flows = orderRegion(
    lines.filter((l) => !l.vertical),
    0,
    mergeRows,
    true,
  ).filter((flow) => flow.length > 0);
  // Vertical columns read right to left; when they carry most of the text, the page is
  // a vertical page and its few horizontal lines (page numbers, captions) come after.
  const columns = [...vertical].sort((a, b) => b.x1 - a.x1 || a.y0 - b.y0);
  const verticalChars = vertical.reduce((n, l) => n + l.chars, 0);
  return verticalChars * 2 >= lines.reduce((n, l) => n + l.chars, 0) ? [columns, ...flows] : [...flows, columns];
}

/**
 * The page's text cut into its columns and bands like orderLines does, but each group keeps
 * its lines as they were (rows not merged): table detection looks for tables inside columns.
 * Only columns of running text count here: boxes and lists side by side (see findGutter) are
 * told apart after the tables are found, which may be laid out the same way.
 */
export function columnGroups(lines: readonly Line[]): Line[][] {
  return orderRegion(
    lines.filter((l) => !l.vertical),
    0,
    (group) => [...group],
  ).filter((g) => g.length > 0);
}

/** How a finished group of lines becomes a flow: rows merged for reading, or left as they are. */
type Finish = (lines: readonly Line[]) => Line[];

function orderRegion(lines: readonly Line[], depth: number, finish: Finish = mergeRows, boxes = false): Flow[] {
  const gutter = depth < MAX_DEPTH ? findGutter(lines, boxes) : undefined;
  if (gutter === undefined) return [finish(lines)];
  return readAroundGutter(lines, gutter, depth, finish, boxes);
}

/**
 * Lines crossing the gutter cut the region into horizontal bands; each band is read left
 * column then right column (each recursively, for more columns), and consecutive spanning
 * lines with no column text between them form one flow of their own.
 */
function readAroundGutter(lines: readonly Line[], gutterX: number, depth: number, finish: Finish, boxes: boolean): Flow[] {
  const spanning = withTails(
    lines.filter((l) => crosses(l, gutterX)),
    lines,
  ).sort((a, b) => center(a) - center(b));
  const isSpanning = new Set(spanning);
  const bands = Array.from({ length: spanning.length + 1 }, () => ({ left: [] as Line[], right: [] as Line[] }));
  for (const line of lines) {
    if (isSpanning.has(line)) continue;
    const band = bands[spanning.filter((s) => center(s) < center(line)).length];
    (line.x1 <= gutterX ? band?.left : band?.right)?.push(line);
  }
  const flows: Flow[] = [];
  let run: Line[] = [];
  bands.forEach((band, k) => {
    const inBand = [...orderRegion(band.left, depth + 1, finish, boxes), ...orderRegion(band.right, depth + 1, finish, boxes)].filter(
      (f) => f.length > 0,
    );
    const [only] = inBand;
    if (inBand.length === 1 && only && (band.left.length === 0 || band.right.length === 0)) {
      // Text on one side only (a code line whose comment crosses the gutter, a figure's
      // short labels): nothing to read in a second column, so it stays in the full-width flow.
      run.push(...only);
    } else if (inBand.length > 0) {
      if (run.length > 0) flows.push(finish(run));
      run = [];
      flows.push(...inBand);
    }
    const next = spanning[k];
    if (next) run.push(next);
  });
  if (run.length > 0) flows.push(finish(run));
  return flows;
}

/**
 * Adds the short last line of a full-width paragraph (a caption, an abstract) to the spanning
 * lines: it does not reach the gutter, yet it belongs to the line above it, not to a column.
 * It starts where that line starts, follows it at the usual pitch, and sits closer to it
 * than to whatever comes next.
 */
function withTails(spanning: readonly Line[], lines: readonly Line[]): Line[] {
  const isSpanning = new Set(spanning);
  const tails = spanning.flatMap((above) => {
    if (above.element) return [];
    const below = lines.filter((l) => l.baseline > above.baseline && !isSpanning.has(l)).sort((a, b) => a.baseline - b.baseline);
    const [tail, next] = below;
    if (!tail || tail.element || !sameSize(tail.fontSize, above.fontSize) || Math.abs(tail.x0 - above.x0) > 0.5 * above.fontSize) return [];
    const pitch = tail.baseline - above.baseline;
    if (pitch > 1.5 * above.fontSize) return [];
    return !next || next.baseline - tail.baseline > 1.5 * pitch ? [tail] : [];
  });
  return [...spanning, ...tails];
}

const crosses = (l: Line, x: number): boolean => l.x0 < x && l.x1 > x;
const center = (l: Line): number => (l.y0 + l.y1) / 2;

/**
 * Finds a vertical gutter: an x where few lines cross (a projection profile of the lines'
 * horizontal extents) with a column of running text on either side. Every flat stretch of
 * the profile is a candidate, since the lowest point may lie inside a sparse column rather
 * than between columns; the best valid one has the fewest crossings, then the most width.
 * Returns its x, or undefined for a single-column region.
 *
 * With `boxes`, where no such gutter exists, a side may also be a text box or a list (see
 * isBoxColumn): slides set short lists and notes side by side, too short for columns of
 * running text.
 */
export function findGutter(lines: readonly Line[], boxes = false): number | undefined {
  if (lines.length < 2 * (boxes ? MIN_BOX_ROWS : MIN_COLUMN_LINES)) return undefined;
  const box = bounds(lines);
  const minX = Math.floor(box.x0);
  const width = Math.ceil(box.x1) - minX;
  // One bin per point: a region wider than any real page is damaged geometry, not columns.
  if (!(width > 0 && width <= MAX_REGION_WIDTH)) return undefined;
  const profile = crossingProfile(lines, minX, width);
  const margin = Math.ceil(width * EDGE_MARGIN);
  const rows = rowIndex(lines);
  const stretches = flatStretches(profile, margin, width - margin).filter((s) => s.crossing <= MAX_SPANNING_SHARE * lines.length);
  const bestOf = (relaxed: boolean): Stretch | undefined => {
    let best: Stretch | undefined;
    for (const stretch of stretches) {
      if (best && (stretch.crossing > best.crossing || (stretch.crossing === best.crossing && stretch.width <= best.width))) continue;
      if (isColumnSplit(lines, minX + stretch.center, rows, relaxed)) best = stretch;
    }
    return best;
  };
  // Columns of running text first: boxes only where the region has none.
  const best = bestOf(false) ?? (boxes ? bestOf(true) : undefined);
  return best === undefined ? undefined : minX + best.center;
}

/** crossing[b] = how many lines fully cover the 1-pt bin [minX + b, minX + b + 1). */
function crossingProfile(lines: readonly Line[], minX: number, width: number): Int32Array {
  const diff = new Int32Array(width + 2);
  for (const l of lines) {
    const start = Math.ceil(l.x0 - minX);
    const end = Math.floor(l.x1 - minX);
    if (end <= start) continue;
    diff[start] = (diff[start] ?? 0) + 1;
    diff[end] = (diff[end] ?? 0) - 1;
  }
  const profile = new Int32Array(width);
  let running = 0;
  for (let b = 0; b < width; b++) profile[b] = running += diff[b] ?? 0;
  return profile;
}

interface Stretch {
  /** Centre, in bins from the left text edge. */
  center: number;
  width: number;
  crossing: number;
}

/** Maximal runs of bins with the same crossing count, between `from` and `to`. */
function flatStretches(profile: Int32Array, from: number, to: number): Stretch[] {
  const stretches: Stretch[] = [];
  for (let b = from; b < to;) {
    const start = b;
    const crossing = profile[b] ?? 0;
    while (b < to && profile[b] === crossing) b++;
    stretches.push({ center: (start + b) / 2, width: b - start, crossing });
  }
  return stretches;
}

/** Both sides hold running text (enough lines, long enough), or boxes, and sit side by side. */
function isColumnSplit(lines: readonly Line[], x: number, rows: ReadonlyMap<Line, number>, boxes: boolean): boolean {
  const left = lines.filter((l) => l.x1 <= x);
  const right = lines.filter((l) => l.x0 >= x);
  const column = (side: readonly Line[]): boolean => isTextColumn(side, rows) || (boxes && isBoxColumn(side, rows));
  if (!column(left) || !column(right)) return false;
  const [l, r] = [bounds(left), bounds(right)];
  const overlap = Math.min(l.y1, r.y1) - Math.max(l.y0, r.y0);
  return overlap >= MIN_SIDE_OVERLAP * Math.min(l.y1 - l.y0, r.y1 - r.y0);
}

/** Enough lines of running text; figure labels may sit among them, but not dominate. */
function isTextColumn(lines: readonly Line[], rows: ReadonlyMap<Line, number>): boolean {
  // Measured per row: a column of table rows ("width  unsigned long  300") is cut into short
  // segments at its cell gaps, yet reads as one line of the column.
  const perRow = new Map<number, number>();
  for (const l of lines) perRow.set(rows.get(l) ?? -1, (perRow.get(rows.get(l) ?? -1) ?? 0) + l.chars);
  const all = [...perRow.values()];
  const long = all.filter((n) => n >= MIN_COLUMN_CHARS);
  const sum = (ns: readonly number[]): number => ns.reduce((a, b) => a + b, 0);
  return long.length >= MIN_COLUMN_LINES && sum(long) >= MIN_LONG_LINE_SHARE * sum(all);
}

/**
 * A text box or a list: at least two rows that start a list item (a marker and its text), or
 * at least two rows, each after the first either such an item or the wrapped continuation of
 * the row above, whose first word would not have fitted after it within the side's width (a
 * first row larger or bolder than the next is the box's title). Label/value pairs at a tab stop fail
 * this (labels are short, end in a colon, or the next would have fitted after the one above),
 * so they stay on their rows.
 */
function isBoxColumn(lines: readonly Line[], rows: ReadonlyMap<Line, number>): boolean {
  const perRow = new Map<number, Line[]>();
  for (const l of lines) {
    const row = rows.get(l) ?? -1;
    const found = perRow.get(row);
    if (found) found.push(l);
    else perRow.set(row, [l]);
  }
  const ordered = [...perRow].sort((a, b) => a[0] - b[0]).map(([, ls]) => [...ls].sort((a, b) => a.x0 - b.x0));
  if (ordered.length < MIN_BOX_ROWS) return false;
  const isItem = ordered.map((row) => (parseListMarker(row.map((l) => l.text).join(" "))?.body ?? "") !== "");
  // Bullets starting again on several rows make a list, whatever lines introduce it.
  if (isItem.filter(Boolean).length >= MIN_BOX_ROWS) return true;
  const right = bounds(lines).x1;
  // The box's title may head it: larger or bolder than the text under it.
  const from = isBoxTitle(ordered[0], ordered[1]) ? 1 : 0;
  if (ordered.length - from < MIN_BOX_ROWS) return false;
  return ordered.every((row, i) => {
    const above = ordered[i - 1];
    return i <= from || !above || isItem[i] === true || wraps(above, row, right);
  });
}

function isBoxTitle(row: readonly Line[] | undefined, below: readonly Line[] | undefined): boolean {
  if (!row || !below) return false;
  const size = (ls: readonly Line[]): number => Math.max(...ls.map((l) => l.fontSize));
  return (row.every((l) => l.bold) && !below.every((l) => l.bold)) || (size(row) > size(below) && !sameSize(size(row), size(below)));
}

/**
 * The row's first word would not have fitted at the end of the row above, within the side.
 * Only a row of running text wraps: a short one, or one ending in a colon, is a label.
 */
function wraps(above: readonly Line[], row: readonly Line[], right: number): boolean {
  const [first] = row;
  const last = above.at(-1);
  if (!first || !last) return false;
  if (above.reduce((n, l) => n + l.chars, 0) < MIN_COLUMN_CHARS || /[:：]\s*$/u.test(last.text)) return false;
  // A row far below the one above starts a new paragraph or box, not a wrapped line.
  if (first.y0 - last.y1 > first.fontSize) return false;
  const word = first.text.trim().split(/\s+/u)[0] ?? "";
  const charWidth = (first.x1 - first.x0) / Math.max(1, first.text.length);
  return last.x1 + charWidth * (word.length + 1) > right;
}

/** Row number of each line (lines whose baselines are within half an em share a row), computed once per region. */
function rowIndex(lines: readonly Line[]): Map<Line, number> {
  const index = new Map<Line, number>();
  let row = -1;
  let anchor: Line | undefined;
  for (const l of [...lines].sort((a, b) => a.baseline - b.baseline)) {
    if (!anchor || l.baseline - anchor.baseline > 0.5 * Math.max(anchor.fontSize, l.fontSize)) {
      row++;
      anchor = l;
    }
    index.set(l, row);
  }
  return index;
}
