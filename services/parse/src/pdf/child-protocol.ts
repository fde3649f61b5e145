// The wire format between the parse service and its PDF child process.
//
// stdin:  per document, one JSON line (ChildHeader, with its byteLength), then that many PDF
//         bytes; documents follow one another until stdin ends.
// stdout: per document, JSON lines (ChildLine): one "meta", then one "page" per selected page,
//         then "done"; or an "error" line at any point, after which the child exits.
// Plain JSON lines keep the child debuggable by hand (`node dist/pdf/pdf-child.js < input`).
import type { GraphicsJson, ItemJson } from "./page-types.js";

export interface ChildHeader {
  /** Empty when the user gave none; never logged. */
  password: string;
  /** Page selection like "1-3,7"; empty = all pages. Syntax already checked by the parent. */
  pages: string;
  /** Upper bound on selected pages; more → DOCUMENT_TOO_COMPLEX before any page work. */
  maxPages: number;
  /** Also walk each page's operator list: real font names (bold/italic) and graphics (rules, images). */
  fontStyles: boolean;
  /** The child exits by itself after this long, in case its parent died without killing it. */
  selfDestructMs: number;
  /** OCR planning; absent = "never" (each page says so). */
  ocr?: ChildOcrHeader;
  /** Bytes of the PDF that follow the header line (set by encodeChildInput). */
  byteLength?: number;
}

/** How the child decides and prepares OCR (see page-ocr.ts). */
export interface ChildOcrHeader {
  mode: "auto" | "always" | "never";
  /** Where page rasters (PGM) are written for the OCR pool; the parent deletes each once read. */
  rasterDir: string;
  /** Render resolution for OCR, before the pixel cap. */
  dpi: number;
  /** Pixel cap per rendered page (huge pages are rendered at a lower resolution). */
  maxPixels: number;
  /** Rasters written but not yet consumed, at most: the child waits (flow control, bounded disk use). */
  maxAhead: number;
}

/** A page rendered for OCR: an 8-bit grey PGM file. */
export interface RasterJson {
  path: string;
  /** Effective resolution (lower than asked for when the pixel cap applied). */
  dpi: number;
  widthPx: number;
  heightPx: number;
}

export interface PageJson {
  pageNumber: number;
  width: number;
  height: number;
  items: ItemJson[];
  /** Rules, boxes and image placements; only when the operator list was walked (fontStyles). */
  graphics?: GraphicsJson;
  /** Whether this page is to be OCRed, and why (ocr-decision.ts); absent = not planned. */
  ocr?: boolean;
  ocrReason?: string;
  /** Set when `ocr`: the rendered page for the OCR pool. */
  raster?: RasterJson;
}

export type ChildLine =
  | { type: "meta"; pageCount: number; pages: number[] }
  | { type: "page"; page: PageJson }
  | { type: "error"; code: string; message: string }
  | { type: "done" };

/**
 * One document as the parent writes it to the child's stdin: the header as one JSON line, with
 * the byte length, then exactly that many bytes. A child reads such frames one after another
 * until its stdin ends, so one process can serve several documents.
 */
export function encodeChildInput(header: ChildHeader, bytes: Uint8Array): Buffer {
  const framed: ChildHeader = { ...header, byteLength: bytes.byteLength };
  return Buffer.concat([Buffer.from(`${JSON.stringify(framed)}\n`, "utf8"), bytes]);
}

const MAX_HEADER_BYTES = 64 * 1024;

/**
 * Reads the frames of `input` (the child's stdin), one document at a time, each as its header
 * and a fresh Uint8Array of its bytes (pdf.js refuses Node Buffers and transfers what it gets).
 * Ends when the input ends between frames; a frame cut short is an error.
 */
export async function* readChildInputs(input: AsyncIterable<Buffer>): AsyncGenerator<{ header: ChildHeader; bytes: Uint8Array }> {
  let buf: Buffer = Buffer.alloc(0);
  const iterator = input[Symbol.asyncIterator]();
  const more = async (): Promise<boolean> => {
    const next = await iterator.next();
    if (next.done) return false;
    buf = buf.length === 0 ? next.value : Buffer.concat([buf, next.value]);
    return true;
  };
  for (;;) {
    let nl = buf.indexOf(0x0a);
    while (nl < 0) {
      if (buf.length > MAX_HEADER_BYTES) throw new Error("child input: header line too long");
      if (!(await more())) {
        if (buf.length === 0) return;
        throw new Error("child input: missing header line");
      }
      nl = buf.indexOf(0x0a);
    }
    const header = JSON.parse(buf.subarray(0, nl).toString("utf8")) as ChildHeader;
    const length = header.byteLength ?? 0;
    while (buf.length - nl - 1 < length) {
      if (!(await more())) throw new Error(`child input: ${length} bytes announced, ${buf.length - nl - 1} received`);
    }
    const bytes = new Uint8Array(length);
    bytes.set(buf.subarray(nl + 1, nl + 1 + length));
    buf = buf.subarray(nl + 1 + length);
    yield { header, bytes };
  }
}
