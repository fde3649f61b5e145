// 8-bit grey images as the OCR path moves them around: binary PGM (P5) files and in-memory
// rotation. PGM because it costs nothing to write or parse (PNG encoding is ~14× the cost of
// rendering, see shared/ANCHORS.md §2) and tesseract's leptonica reads it directly.

export interface GrayImage {
  width: number;
  height: number;
  /** One byte per pixel, row by row, 0 = black. */
  data: Uint8Array;
}

export function encodePgm(img: GrayImage): Buffer {
  const header = Buffer.from(`P5\n${img.width} ${img.height}\n255\n`, "latin1");
  return Buffer.concat([header, img.data]);
}

const HEADER = /^P5\s+(?:#[^\n]*\n\s*)*(\d+)\s+(\d+)\s+(\d+)\s/;

/** Parses a binary 8-bit PGM; throws on anything else (we only read files we wrote). */
export function decodePgm(buf: Uint8Array): GrayImage {
  const head = Buffer.from(buf.buffer, buf.byteOffset, Math.min(buf.length, 256)).toString("latin1");
  const m = HEADER.exec(head);
  if (!m) throw new Error("not a binary PGM (P5) image");
  const [width, height, max] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (max !== 255) throw new Error(`PGM with maxval ${max}: only 8-bit is supported`);
  const start = m[0].length;
  if (buf.length - start < width * height) throw new Error("PGM is truncated");
  return { width, height, data: buf.subarray(start, start + width * height) };
}

/** Turns an image clockwise by 0, 90, 180 or 270 degrees. */
export function rotateGray(img: GrayImage, degrees: number): GrayImage {
  const turn = ((Math.round(degrees / 90) % 4) + 4) % 4;
  if (turn === 0) return img;
  const { width: w, height: h, data } = img;
  const out = new Uint8Array(w * h);
  if (turn === 2) {
    for (let i = 0, n = w * h; i < n; i++) out[n - 1 - i] = data[i] as number;
    return { width: w, height: h, data: out };
  }
  // 90° clockwise: source (x, y) lands at (h-1-y, x) in a h-wide image; 270°: at (y, w-1-x).
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      const target = turn === 1 ? x * h + (h - 1 - y) : (w - 1 - x) * h + y;
      out[target] = data[row + x] as number;
    }
  }
  return { width: h, height: w, data: out };
}

/** RGBA (as a canvas holds it) → grey with the Rec. 601 luma weights, in fixed point. */
export function rgbaToGray(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number): GrayImage {
  const n = width * height;
  const data = new Uint8Array(n);
  for (let i = 0, j = 0; i < n; i++, j += 4) {
    data[i] = ((rgba[j] as number) * 77 + (rgba[j + 1] as number) * 150 + (rgba[j + 2] as number) * 29) >> 8;
  }
  return { width, height, data };
}
