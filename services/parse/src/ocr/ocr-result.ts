// tesseract.js's block tree → Quire text items: one item per recognized line, in PDF points
// from the page's top-left, with the line's confidence. Lines (not words) because tesseract has
// already joined the words with its own spacing, and extract groups items into lines and
// paragraphs by geometry exactly as it does for a text layer. Pure, so it is unit-tested.
import type { ItemJson } from "../pdf/page-types.js";

export interface TessBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}
export interface TessWord {
  text: string;
  confidence: number;
  bbox: TessBox;
}
export interface TessLine {
  text: string;
  confidence: number;
  bbox: TessBox;
  /** x-height + ascender rise, in pixels: a size estimate that ignores whether the line has descenders. */
  rowAttributes?: { rowHeight?: number };
  words?: TessWord[];
}
export interface TessParagraph {
  is_ltr?: boolean | number;
  lines?: TessLine[];
}
export interface TessBlock {
  paragraphs?: TessParagraph[];
}

/** A line's glyph box is ~0.9 em tall (ascender to descender); item font sizes are in em. */
const EM_PER_ROW_HEIGHT = 1.1;
/** Words below this confidence (0..100) that hold no letter or digit are speckle read as text. */
const NOISE_CONFIDENCE = 40;

/**
 * Converts one page's blocks. `ptPerPx` = 72 / image dpi. Empty lines and lines that are only
 * low-confidence punctuation (dirt, photo texture) are left out.
 */
export function ocrLinesToItems(blocks: readonly TessBlock[] | null | undefined, ptPerPx: number): ItemJson[] {
  const items: ItemJson[] = [];
  for (const block of blocks ?? []) {
    for (const para of block.paragraphs ?? []) {
      const dir = para.is_ltr === false || para.is_ltr === 0 ? "rtl" : "ltr";
      for (const line of para.lines ?? []) {
        const item = lineItem(line, ptPerPx, dir);
        if (item) items.push(item);
      }
    }
  }
  return items;
}

function lineItem(line: TessLine, s: number, dir: string): ItemJson | null {
  const words = (line.words ?? []).filter((w) => w.text.trim() !== "" && !isNoise(w));
  const text = (line.words ? words.map((w) => w.text.trim()).join(" ") : line.text).trim();
  if (text === "") return null;
  const { x0, y0, x1, y1 } = line.bbox;
  const height = (y1 - y0) * s;
  const rowHeight = line.rowAttributes?.rowHeight ?? 0;
  const fontSize = rowHeight > 0 ? rowHeight * EM_PER_ROW_HEIGHT * s : height;
  return {
    text,
    x: round(x0 * s),
    y: round(y0 * s),
    width: round((x1 - x0) * s),
    height: round(height),
    fontName: "",
    fontSize: round(fontSize),
    hasEol: true,
    bold: false,
    italic: false,
    monospace: false,
    dir,
    confidence: Math.round(meanConfidence(words.length > 0 ? words : [line]) * 10) / 1000,
  };
}

function isNoise(w: TessWord): boolean {
  return w.confidence < NOISE_CONFIDENCE && !/[\p{L}\p{N}]/u.test(w.text);
}

/** Character-weighted mean confidence, 0..100. */
function meanConfidence(parts: readonly { text: string; confidence: number }[]): number {
  let sum = 0;
  let weight = 0;
  for (const p of parts) {
    const n = Math.max(1, p.text.trim().length);
    sum += p.confidence * n;
    weight += n;
  }
  return weight > 0 ? sum / weight : 0;
}

const round = (v: number): number => Math.round(v * 100) / 100;

/** The page's confidence, 0..1: the mean over its lines weighted by their length. */
export function pageConfidence(items: readonly ItemJson[]): number {
  const mean = meanConfidence(items.map((i) => ({ text: i.text, confidence: (i.confidence ?? 0) * 100 })));
  return Math.round(mean * 10) / 1000;
}
