import type { PageGraphics, Rect } from "@quire/contracts";
import type { Line } from "../lines/lines.js";
import { boxCenter, contains, type Box } from "../tables/rulings.js";
import { UnionFind } from "../tables/union-find.js";

/** A figure on its page, with the text inside it (axis labels, legends) that it took from the page. */
export interface FigureLayout {
  box: Box;
  lines: Line[];
}

/** Images smaller than this (pt) on either side are icons, bullets or spacers. */
const MIN_IMAGE_SIDE = 24;
/** An image covering this share of the page is a scan or a background, not a figure. */
const MAX_PAGE_SHARE = 0.85;
/** Drawn shapes within this distance (pt) belong to one drawing. */
const CLUSTER_GAP = 6;
/** A drawing is a figure when it holds this many shapes... */
const MIN_SHAPES = 4;
/** ...and is at least this big (pt) each way. */
const MIN_DRAWING_SIDE = 40;
/** Text inside a figure is labels; a line this long is prose the picture sits behind. */
const MAX_LABEL_CHARS = 60;
/** A chart labels its axes and legend in a few dozen short lines at most. */
const MAX_LABELS = 30;
/** More prose lines than this inside the box: a text box or background, not a figure. */
const MAX_PROSE_LINES = 2;

/**
 * Finds a page's figures: placed images, and clusters of drawn shapes (charts, diagrams)
 * outside the tables. The short lines inside a figure are its labels; they leave the
 * reading flow with it, so "0 10 20 30" does not land in the middle of a paragraph.
 */
export function findFigures(
  lines: readonly Line[],
  graphics: PageGraphics | undefined,
  page: { width: number; height: number },
  tables: readonly Box[],
): FigureLayout[] {
  if (!graphics) return [];
  const pageArea = page.width * page.height;
  // Padded: a table's border rules lie on its edges.
  const outsideTables = (b: Box): boolean => !tables.some((t) => overlaps(t, b, 2));
  const images = graphics.images
    .map(toBox)
    .filter(
      (b) =>
        width(b) >= MIN_IMAGE_SIDE && height(b) >= MIN_IMAGE_SIDE && width(b) * height(b) < MAX_PAGE_SHARE * pageArea && outsideTables(b),
    );
  // Filled boxes with text on them are shading behind text (table rows, call-outs), not drawing.
  const fills = graphics.fills.map(toBox).filter((b) => !lines.some((l) => contains(b, boxCenter(l))));
  // Rules count too: a chart's axes and grid lines are what tie its bars together.
  const rules = graphics.rules.map((r) => ({
    x0: Math.min(r.x0, r.x1),
    y0: Math.min(r.y0, r.y1),
    x1: Math.max(r.x0, r.x1),
    y1: Math.max(r.y0, r.y1),
  }));
  // Rules alone draw frames (a listing's box, a form), not pictures: a drawing needs a shape or a fill.
  const marks = [...graphics.shapes.map(toBox), ...fills].filter(outsideTables);
  const drawings = cluster([...marks, ...rules.filter(outsideTables)])
    .filter((c) => c.members.some((b) => marks.includes(b)))
    .filter((c) => c.count >= MIN_SHAPES && width(c.box) >= MIN_DRAWING_SIDE && height(c.box) >= MIN_DRAWING_SIDE)
    .map((c) => c.box);
  const figures: FigureLayout[] = [];
  for (const box of mergeOverlapping([...images, ...drawings])) {
    const inside = lines.filter((l) => contains(box, boxCenter(l), 2));
    if (inside.filter((l) => l.chars > MAX_LABEL_CHARS).length > MAX_PROSE_LINES) continue;
    // A drawing full of text is a timetable, a form or a diagram to be read: not a picture.
    if (inside.length > MAX_LABELS) continue;
    figures.push({ box, lines: inside.filter((l) => l.chars <= MAX_LABEL_CHARS) });
  }
  return figures;
}

const toBox = (r: Rect): Box => ({ x0: r.x, y0: r.y, x1: r.x + r.width, y1: r.y + r.height });
const width = (b: Box): number => b.x1 - b.x0;
const height = (b: Box): number => b.y1 - b.y0;
const overlaps = (a: Box, b: Box, pad = 0): boolean => a.x0 < b.x1 + pad && b.x0 < a.x1 + pad && a.y0 < b.y1 + pad && b.y0 < a.y1 + pad;
const union = (a: Box, b: Box): Box => ({
  x0: Math.min(a.x0, b.x0),
  y0: Math.min(a.y0, b.y0),
  x1: Math.max(a.x1, b.x1),
  y1: Math.max(a.y1, b.y1),
});

/** Groups boxes that touch (within CLUSTER_GAP) into drawings. Pairwise: parse caps the shapes per page. */
function cluster(boxes: readonly Box[]): { box: Box; count: number; members: Box[] }[] {
  const uf = new UnionFind(boxes.length);
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, b] = [boxes[i], boxes[j]];
      if (a && b && overlaps(a, b, CLUSTER_GAP)) uf.union(i, j);
    }
  }
  return [...uf.groups().values()].map((indices) => {
    const members = indices.map((k) => boxes[k] as Box);
    return { box: members.reduce(union), count: members.length, members };
  });
}

function mergeOverlapping(boxes: readonly Box[]): Box[] {
  return cluster(boxes).map((c) => c.box);
}
