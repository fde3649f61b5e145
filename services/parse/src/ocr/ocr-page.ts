// One page through OCR, inside an OCR worker process: decode, recognize, and when the result
// looks like a page read sideways or upside down, ask orientation detection and read it again
// turned. Upright pages (nearly all) pay nothing for the orientation check.
import { readFile } from "node:fs/promises";
import { loadImagePage } from "./image-source.js";
import type { OcrEngine, Recognition } from "./ocr-engine.js";
import type { OcrChildInit, OcrInput, OcrPageJson } from "./ocr-protocol.js";
import { ocrLinesToItems, pageConfidence, type TessBlock } from "./ocr-result.js";
import { decodePgm, encodePgm, rotateGray, type GrayImage } from "./pgm.js";

/**
 * Below this mean confidence (0..100) a page may be turned: upright print reads at 85–95, the
 * rotated corpus pages at ~42; real scans that read at 60–70 only pay one orientation check.
 */
const SUSPECT_CONFIDENCE = 70;
/** A turned reading must beat the upright one by this much (0..100) to be believed. */
const TURN_MARGIN = 5;

interface Reading {
  image: GrayImage;
  rotation: number;
  result: Recognition;
}

export async function ocrPage(engine: OcrEngine, init: OcrChildInit, input: OcrInput, languages: string[]): Promise<OcrPageJson> {
  const started = performance.now();
  const { image, dpi } =
    input.kind === "image"
      ? await loadImagePage(input.path, input.page, init)
      : { image: decodePgm(await readFile(input.path)), dpi: input.dpi };
  let best: Reading = { image, rotation: 0, result: await engine.recognize(encodePgm(image), languages, dpi) };
  const sideways = readsSideways(best.result.blocks);
  if (init.orientation && (sideways || best.result.confidence < SUSPECT_CONFIDENCE)) {
    best = await tryTurned(engine, best, languages, dpi, sideways);
  }
  // PDF points: 72 per inch; without a stated resolution a pixel counts as a point.
  const ptPerPx = 72 / (dpi ?? 72);
  const items = ocrLinesToItems(best.result.blocks, ptPerPx);
  return {
    width: round(best.image.width * ptPerPx),
    height: round(best.image.height * ptPerPx),
    rotation: best.rotation,
    confidence: pageConfidence(items),
    items,
    ms: Math.round(performance.now() - started),
  };
}

/**
 * Asks orientation detection which way is up and reads the page again turned that way. A page
 * tesseract read as vertical lines (it can, for a 90° scan) is turned even at equal confidence:
 * the text may be right, but lines standing on end would defeat layout analysis downstream.
 */
async function tryTurned(
  engine: OcrEngine,
  upright: Reading,
  languages: string[],
  dpi: number | null,
  sideways: boolean,
): Promise<Reading> {
  const osd = await engine.orientation(encodePgm(upright.image)).catch(() => null);
  const turns = osd && osd.degrees % 360 !== 0 ? [osd.degrees] : sideways ? [90, 270] : [];
  let best = upright;
  for (const rotation of turns) {
    const image = rotateGray(upright.image, rotation);
    const result = await engine.recognize(encodePgm(image), languages, dpi);
    const margin = best === upright ? (sideways ? -TURN_MARGIN : TURN_MARGIN) : 0;
    if (result.confidence >= best.result.confidence + margin) best = { image, rotation, result };
  }
  return best;
}

/** Most recognized characters sit in lines taller than they are wide: the page lies on its side. */
export function readsSideways(blocks: readonly TessBlock[]): boolean {
  let tall = 0;
  let all = 0;
  for (const line of blocks.flatMap((b) => b.paragraphs ?? []).flatMap((p) => p.lines ?? [])) {
    const n = line.text.replace(/\s/gu, "").length;
    if (n < 3) continue;
    all += n;
    if (line.bbox.y1 - line.bbox.y0 > 1.5 * (line.bbox.x1 - line.bbox.x0)) tall += n;
  }
  return all > 0 && tall / all > 0.5;
}

const round = (v: number): number => Math.round(v * 100) / 100;
