// Messages between the OCR pool (ocr-pool.ts, in the parse service) and its worker processes
// (ocr-child.ts), over Node's IPC channel. Inputs travel as file paths, never as bytes: a page
// image is written once to a private temp folder and read by whichever worker gets the page.
import type { ItemJson } from "../pdf/page-types.js";

export type OcrInput =
  /** Page `page` (0-based) of an image file: PNG, JPEG, WebP, or one page of a TIFF. */
  | { kind: "image"; path: string; page: number }
  /** A PDF page that pdf-child.ts rendered to PGM at `dpi`. */
  | { kind: "raster"; path: string; dpi: number };

export interface OcrChildInit {
  /** One folder holding `<code>.traineddata.gz` for every language (see ocr-languages.ts). */
  langPath: string;
  /** tesseract.js worker creation can hang forever on bad data (ANCHORS §2): bounded here. */
  initTimeoutMs: number;
  /** Images with more pixels are scaled down to this before OCR. */
  maxPixels: number;
  /** Images above this many pixels are refused before decoding (decompression bombs). */
  maxInputPixels: number;
  /** Detect pages scanned sideways or upside down (orientation and script detection). */
  orientation: boolean;
}

export type ToOcrChild =
  | { type: "init"; init: OcrChildInit }
  | { type: "probe"; id: number; path: string }
  | { type: "ocr"; id: number; input: OcrInput; languages: string[] };

/** One recognized page, in PDF points (72 / dpi per pixel; 1 pt per pixel when the dpi is unknown). */
export interface OcrPageJson {
  width: number;
  height: number;
  /** Clockwise degrees the image was turned before it read well; items are in that frame. */
  rotation: number;
  /** Mean confidence, 0..1. */
  confidence: number;
  items: ItemJson[];
  /** Time spent in the worker, for logs and the benchmark. */
  ms: number;
}

export interface OcrProbeJson {
  pages: number;
  format: string;
}

export type FromOcrChild =
  | { type: "ready" }
  | { type: "page"; id: number; page: OcrPageJson }
  | { type: "probe"; id: number; probe: OcrProbeJson }
  | { type: "error"; id: number | null; code: string; message: string };
