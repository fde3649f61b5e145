// Image files → 8-bit grey pages for OCR, with sharp (libvips; prebuilt binaries from npm, no
// install script). Runs only inside OCR worker processes: a decoder crash on a hostile file
// takes down that worker, never the parse service.
import sharp, { type Metadata } from "sharp";
import { ErrorCode, QuireError } from "@quire/runtime";
import type { GrayImage } from "./pgm.js";

/** What the gateway accepts as images; libvips could decode more (SVG, GIF, …), we do not. */
const FORMATS = new Set(["png", "jpeg", "tiff", "webp"]);
/** tesseract's own bounds on a credible resolution; outside them it estimates from the text. */
const MIN_DPI = 70;
const MAX_DPI = 2400;

/** One OCR worker does one page at a time: no libvips thread pool or cache competing with it. */
export function configureSharp(): void {
  sharp.concurrency(1);
  sharp.cache(false);
}

export interface ImagePage {
  image: GrayImage;
  /** Effective resolution of `image`, or null when the file states none (tesseract then estimates). */
  dpi: number | null;
}

/** The page count and format, read from the header only. */
export async function probeImage(file: string, maxInputPixels: number): Promise<{ pages: number; format: string }> {
  const meta = await metadata(file, 0, maxInputPixels);
  return { pages: Math.max(1, meta.pages ?? 1), format: meta.format ?? "" };
}

/**
 * Decodes page `page` (0-based) as grey: EXIF orientation applied, transparency flattened onto
 * white (else transparent text on a PNG reads as black on black), scaled down above `maxPixels`.
 */
export async function loadImagePage(file: string, page: number, limits: { maxPixels: number; maxInputPixels: number }): Promise<ImagePage> {
  const meta = await metadata(file, page, limits.maxInputPixels);
  const pixels = (meta.width ?? 0) * (meta.height ?? 0);
  const scale = pixels > limits.maxPixels ? Math.sqrt(limits.maxPixels / pixels) : 1;
  let pipeline = sharp(file, { page, limitInputPixels: limits.maxInputPixels }).autoOrient().flatten({ background: "#ffffff" });
  if (scale < 1) pipeline = pipeline.resize({ width: Math.max(1, Math.floor((meta.autoOrient?.width ?? meta.width ?? 1) * scale)) });
  const { data, info } = await pipeline.toColourspace("b-w").raw().toBuffer({ resolveWithObject: true }).catch(decodeError);
  if (info.channels !== 1)
    throw new QuireError(ErrorCode.InvalidImage, `page ${page + 1}: unexpected ${info.channels} channels after conversion to grey`);
  const density = meta.density !== undefined && meta.density >= MIN_DPI && meta.density <= MAX_DPI ? meta.density : null;
  return { image: { width: info.width, height: info.height, data }, dpi: density === null ? null : density * scale };
}

async function metadata(file: string, page: number, maxInputPixels: number): Promise<Metadata> {
  const meta = await sharp(file, { page, limitInputPixels: maxInputPixels }).metadata().catch(decodeError);
  if (!FORMATS.has(meta.format ?? "")) {
    throw new QuireError(
      ErrorCode.InvalidImage,
      `the image format ${meta.format ?? "unknown"} is not supported; send PNG, JPEG, TIFF or WebP`,
    );
  }
  if (page >= (meta.pages ?? 1))
    throw new QuireError(ErrorCode.InvalidArgument, `the image has ${meta.pages ?? 1} page(s), no page ${page + 1}`);
  const pixels = (meta.width ?? 0) * (meta.height ?? 0);
  if (pixels > maxInputPixels) {
    throw new QuireError(
      ErrorCode.DocumentTooComplex,
      `the image has ${Math.round(pixels / 1e6)} megapixels, more than the ${Math.round(maxInputPixels / 1e6)} MP limit`,
    );
  }
  return meta;
}

/** libvips messages name the decoder's complaint; the file's contents never appear in them. */
function decodeError(err: unknown): never {
  const message = err instanceof Error ? (err.message.split("\n")[0] ?? "") : String(err);
  if (/pixel limit/i.test(message)) throw new QuireError(ErrorCode.DocumentTooComplex, `the image is too large to decode: ${message}`);
  throw new QuireError(ErrorCode.InvalidImage, `the image could not be decoded: ${message}`);
}
