// Runs in the PDF CHILD, for the OCR render (page-ocr.ts). pdf.js draws an image by first
// painting it at its own full resolution onto a scratch canvas and only then scaling it to the
// page: a 9,000 × 12,000 scanned or fax image costs ~450 MB of RGBA per scratch canvas and
// seconds of pixel copying, although the page is rendered at ~300 dpi. Here each decoded image
// is shrunk, as it arrives from pdf.js's worker side, to about the pixel count of the page
// raster it is drawn onto (never below it): the raster that OCR reads is the same up to
// resampling, and the scratch canvases stay page-sized.
// Pure over pdf.js's decoded-image objects (in Node there is no OffscreenCanvas, so they carry
// pixels, not bitmaps), so it is unit-tested without a PDF.

/** pdf.js's ImageKind (src/shared/util.js); an image mask has no kind. */
const GRAYSCALE_1BPP = 1;
const RGB_24BPP = 2;
const RGBA_32BPP = 3;

/** A decoded image as pdf.js's main thread receives it: packed bits, grey, RGB or RGBA rows. */
export interface DecodedImage {
  width: number;
  height: number;
  /** Absent for an image mask (1 bit a pixel, 0 = painted with the fill colour). */
  kind?: number;
  data: Uint8Array | Uint8ClampedArray | null;
  bitmap?: unknown;
}

function isDecodedImage(v: unknown): v is DecodedImage {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const o = v as Partial<DecodedImage>;
  return Number.isInteger(o.width) && Number.isInteger(o.height) && (o.data instanceof Uint8Array || o.data instanceof Uint8ClampedArray);
}

/**
 * The integer factor an image of `pixels` is divided by on each side so that it keeps at least
 * `maxPixels` (1 = left as it is: images are only shrunk by 2× or more).
 */
export function shrinkFactor(pixels: number, maxPixels: number): number {
  return maxPixels > 0 ? Math.max(1, Math.floor(Math.sqrt(pixels / maxPixels))) : 1;
}

/** Makes a drawable (a canvas) from RGBA pixels: how a shrunk mask keeps partial coverage. */
export type BitmapFactory = (width: number, height: number, rgba: Uint8ClampedArray) => unknown;

/**
 * Shrinks `img` in place (box filter) when it has at least 4 × `maxPixels` pixels, to between
 * `maxPixels` and 4 × `maxPixels`. Returns the factor applied (1 = unchanged). A mask becomes,
 * with `toBitmap`, a black bitmap whose alpha is the painted share of each block (pdf.js draws
 * a mask's bitmap as it is, then fills through its alpha), else a mask again (a block painted
 * when a third of it is); 1-bit grey becomes 8-bit grey in RGB.
 */
export function shrinkDecodedImage(img: DecodedImage, maxPixels: number, toBitmap?: BitmapFactory): number {
  const { width: w, height: h, data } = img;
  const f = shrinkFactor(w * h, maxPixels);
  if (f < 2 || !data || img.bitmap) return 1;
  const kind = img.kind;
  const ow = Math.ceil(w / f);
  const oh = Math.ceil(h / f);
  if (kind === undefined || kind === 0) {
    if (data.length < ((w + 7) >> 3) * h) return 1;
    if (toBitmap) {
      // Painted share of each block as alpha: the mask keeps its anti-aliased edges.
      img.bitmap = toBitmap(ow, oh, shrinkBits(data, w, h, f, ow, oh, "alpha") as Uint8ClampedArray);
      img.data = null;
    } else {
      img.data = shrinkBits(data, w, h, f, ow, oh, "mask");
    }
  } else if (kind === GRAYSCALE_1BPP) {
    if (data.length < ((w + 7) >> 3) * h) return 1;
    img.data = shrinkBits(data, w, h, f, ow, oh, "grey");
    img.kind = RGB_24BPP;
  } else if (kind === RGB_24BPP || kind === RGBA_32BPP) {
    const channels = kind === RGB_24BPP ? 3 : 4;
    if (data.length < w * h * channels) return 1;
    img.data = shrinkBytes(data, w, h, f, ow, oh, channels);
  } else {
    return 1;
  }
  img.width = ow;
  img.height = oh;
  return f;
}

/**
 * 1-bit rows (0 = ink) shrunk by f: a mask again (0 where ≥ 1/3 of the block is ink), black RGBA
 * with the ink share as alpha, or grey RGB (the block's average).
 */
function shrinkBits(
  src: Uint8Array | Uint8ClampedArray,
  w: number,
  h: number,
  f: number,
  ow: number,
  oh: number,
  out: "mask" | "alpha" | "grey",
) {
  const rowBytes = (w + 7) >> 3;
  const ink = new Uint32Array(ow);
  const dst = out === "mask" ? new Uint8Array(((ow + 7) >> 3) * oh).fill(0xff) : new Uint8ClampedArray(ow * oh * (out === "alpha" ? 4 : 3));
  const outRowBytes = (ow + 7) >> 3;
  for (let oy = 0; oy < oh; oy++) {
    ink.fill(0);
    const y1 = Math.min(h, (oy + 1) * f);
    for (let y = oy * f; y < y1; y++) {
      const row = y * rowBytes;
      for (let b = 0; b < rowBytes; b++) {
        const byte = src[row + b] as number;
        if (byte === 0xff) continue; // eight blank pixels: the common case on a page
        const x0 = b << 3;
        for (let bit = 0; bit < 8; bit++) {
          const x = x0 + bit;
          if (x < w && ((byte >> (7 - bit)) & 1) === 0) ink[(x / f) | 0]!++;
        }
      }
    }
    const rows = y1 - oy * f;
    for (let ox = 0; ox < ow; ox++) {
      const area = rows * (Math.min(w, (ox + 1) * f) - ox * f);
      const n = ink[ox] as number;
      if (out === "mask") {
        if (n * 3 >= area) dst[oy * outRowBytes + (ox >> 3)]! &= ~(0x80 >> (ox & 7));
      } else if (out === "alpha") {
        dst[(oy * ow + ox) * 4 + 3] = Math.round((255 * n) / area);
      } else {
        const grey = 255 - Math.round((255 * n) / area);
        const i = (oy * ow + ox) * 3;
        dst[i] = dst[i + 1] = dst[i + 2] = grey;
      }
    }
  }
  return dst;
}

/** 8-bit RGB or RGBA rows, averaged per channel over each f × f block. */
function shrinkBytes(src: Uint8Array | Uint8ClampedArray, w: number, h: number, f: number, ow: number, oh: number, channels: number) {
  const dst = new Uint8ClampedArray(ow * oh * channels);
  const sums = new Uint32Array(ow * channels);
  for (let oy = 0; oy < oh; oy++) {
    sums.fill(0);
    const y1 = Math.min(h, (oy + 1) * f);
    for (let y = oy * f; y < y1; y++) {
      let s = y * w * channels;
      for (let x = 0; x < w; x++) {
        const o = ((x / f) | 0) * channels;
        for (let c = 0; c < channels; c++) sums[o + c]! += src[s++] as number;
      }
    }
    const rows = y1 - oy * f;
    for (let ox = 0; ox < ow; ox++) {
      const area = rows * (Math.min(w, (ox + 1) * f) - ox * f);
      for (let c = 0; c < channels; c++) dst[(oy * ow + ox) * channels + c] = Math.round((sums[ox * channels + c] as number) / area);
    }
  }
  return dst;
}

/** The part of pdf.js's per-page object store (page.objs) that images arrive through. */
interface ObjectStore {
  resolve(objId: string, data?: unknown): void;
}

/**
 * Until the returned function is called, every image that arrives in `objs` (a pdf.js page's
 * `objs`) is shrunk with shrinkDecodedImage before pdf.js can paint it. `onShrunk` is told the
 * original size (for logs and tests).
 */
export function shrinkArrivingImages(
  objs: ObjectStore,
  maxPixels: number,
  toBitmap?: BitmapFactory,
  onShrunk?: (from: { width: number; height: number }, factor: number) => void,
): () => void {
  const own = Object.prototype.hasOwnProperty.call(objs, "resolve");
  const original = objs.resolve;
  objs.resolve = function (objId: string, data?: unknown): void {
    if (isDecodedImage(data)) {
      const from = { width: data.width, height: data.height };
      const factor = shrinkDecodedImage(data, maxPixels, toBitmap);
      if (factor > 1) onShrunk?.(from, factor);
    }
    original.call(this, objId, data);
  };
  return () => {
    if (own) objs.resolve = original;
    else delete (objs as Partial<ObjectStore>).resolve;
  };
}
