// Scanned-looking fixtures the OCR tests make for themselves: text drawn onto a canvas
// (@napi-rs/canvas, with the Liberation Sans font that pdfjs-dist ships, so no system fonts are
// needed), turned, encoded, and wrapped into image-only PDFs with pdf-lib.
import { createRequire } from "node:module";
import path from "node:path";
import { createCanvas, GlobalFonts } from "@napi-rs/canvas";
import { degrees, PDFDocument, StandardFonts } from "pdf-lib";
import sharp from "sharp";

const FONT = "QuireTestSans";
const pdfjsDir = path.dirname(createRequire(import.meta.url).resolve("pdfjs-dist/package.json"));
GlobalFonts.registerFromPath(path.join(pdfjsDir, "standard_fonts", "LiberationSans-Regular.ttf"), FONT);

export const SCAN_LINES = [
  "Invoice 4711 from Northwind Traders",
  "The quick brown fox jumps over the lazy dog.",
  "Payment is due within thirty days of receipt.",
  "Thank you for your business and kind support.",
] as const;

export interface ScanOptions {
  lines?: readonly string[];
  /** Pixels per inch the page pretends to be scanned at (text is 12 pt). @default 150 */
  dpi?: number;
  /** Clockwise quarter turns applied after drawing, as a sideways scan. */
  rotate?: 0 | 90 | 180 | 270;
  format?: "png" | "jpeg" | "webp" | "tiff";
}

/** A page of black text on white, `dpi` pixels per inch, as an encoded image. */
export async function renderScan(opts: ScanOptions = {}): Promise<Buffer> {
  const lines = opts.lines ?? SCAN_LINES;
  const dpi = opts.dpi ?? 150;
  const size = Math.round((12 * dpi) / 72);
  const canvas = createCanvas(Math.round(7 * dpi), Math.round((lines.length * 1.6 + 1) * size));
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = "#000000";
  ctx.font = `${size}px ${FONT}`;
  lines.forEach((line, i) => ctx.fillText(line, size, size * (1.6 * i + 1.8)));
  const image = sharp(await canvas.encode("png"))
    .rotate(opts.rotate ?? 0)
    .withMetadata({ density: dpi });
  const format = opts.format ?? "png";
  return image.toFormat(format).toBuffer();
}

/** A multi-page TIFF, one page per entry of `pages` (each a list of lines). */
export async function renderMultiPageTiff(pages: readonly (readonly string[])[], dpi = 150): Promise<Buffer> {
  const rendered = await Promise.all(pages.map((lines) => renderScan({ lines, dpi })));
  const raws = await Promise.all(
    rendered.map((png) => sharp(png).resize(1050, 400, { fit: "contain", background: "#fff" }).toColourspace("b-w").raw().toBuffer()),
  );
  return sharp(Buffer.concat(raws), { raw: { width: 1050, height: 400 * pages.length, channels: 1, pageHeight: 400 } })
    .tiff({ compression: "lzw" })
    .toBuffer();
}

export interface ScannedPdfOptions {
  /** Text drawn invisibly over the image, like a scanner's OCR layer. */
  textLayer?: string;
  /** Page /Rotate; the image is drawn turned the other way, so the page displays upright. */
  pageRotate?: 0 | 90 | 180 | 270;
}

/** One page per image, each image filling a letter-width page: a scan with no (or a given) text layer. */
export async function makeScannedPdf(images: readonly Buffer[], opts: ScannedPdfOptions = {}): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const bytes of images) {
    const png = await doc.embedPng(await sharp(bytes).png().toBuffer());
    const width = 612;
    const height = (png.height / png.width) * width;
    const turned = opts.pageRotate === 90 || opts.pageRotate === 270;
    const page = doc.addPage(turned ? [height, width] : [width, height]);
    if (opts.pageRotate) {
      page.setRotation(degrees(opts.pageRotate));
      // Undo the page rotation for the image, so the page as displayed reads upright.
      const at = { 90: { x: height, y: 0 }, 180: { x: width, y: height }, 270: { x: 0, y: width } }[opts.pageRotate];
      page.drawImage(png, { ...at, width, height, rotate: degrees(opts.pageRotate) });
    } else {
      page.drawImage(png, { x: 0, y: 0, width, height });
    }
    if (opts.textLayer)
      page.drawText(opts.textLayer, { x: 20, y: height - 30, size: 10, font, opacity: 0, maxWidth: width - 40, lineHeight: 12 });
  }
  return doc.save();
}
