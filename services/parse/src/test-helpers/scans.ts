// Scanned-looking fixtures the OCR tests make for themselves: text drawn onto a canvas
// (@napi-rs/canvas, with the Liberation Sans font that pdfjs-dist ships, so no system fonts are
// needed), turned, encoded, and wrapped into image-only PDFs with pdf-lib.
import { createRequire } from "node:module";
import path from "node:path";
import { deflateSync } from "node:zlib";
import { createCanvas, GlobalFonts } from "@napi-rs/canvas";
import {
  concatTransformationMatrix,
  degrees,
  drawObject,
  PDFDocument,
  PDFName,
  popGraphicsState,
  pushGraphicsState,
  setFillingGrayscaleColor,
  StandardFonts,
} from "pdf-lib";
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

/**
 * One letter page whose only content is a 1-bit image mask of `lines` (12 pt text) at fax-like
 * resolution: 7 × 7 inches of 10,000 × 10,000 pixels (1,429 ppi, 100 megapixels). Drawn at
 * 1/8 of that and each pixel widened to a byte of 8 mask bits, so making it costs little.
 */
export async function makeHugeMaskPdf(lines: readonly string[] = SCAN_LINES): Promise<Uint8Array> {
  const [small, factor, inches] = [1250, 8, 7];
  const canvas = createCanvas(small, small);
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, small, small);
  ctx.fillStyle = "#000000";
  const size = Math.round((12 * small) / (inches * 72)); // 12 pt once the image is 7 inches wide
  ctx.font = `${size}px ${FONT}`;
  lines.forEach((line, i) => ctx.fillText(line, size, size * (1.6 * i + 2)));
  const rgba = ctx.getImageData(0, 0, small, small).data;
  const side = small * factor;
  // A mask row of `side` bits is `small` bytes: 0x00 = 8 painted pixels, 0xff = 8 unpainted.
  const bits = Buffer.alloc(side * small, 0xff);
  for (let y = 0; y < small; y++) {
    const row = Buffer.alloc(small, 0xff);
    for (let x = 0; x < small; x++) if ((rgba[(y * small + x) * 4] as number) < 128) row[x] = 0;
    for (let r = 0; r < factor; r++) row.copy(bits, (y * factor + r) * small);
  }
  const doc = await PDFDocument.create();
  const page = doc.addPage([612, 792]);
  const image = doc.context.stream(deflateSync(bits), {
    Type: "XObject",
    Subtype: "Image",
    Width: side,
    Height: side,
    ImageMask: true,
    BitsPerComponent: 1,
    Filter: "FlateDecode",
  });
  page.node.setXObject(PDFName.of("Mask"), doc.context.register(image));
  const at = { x: 36, y: 792 - 36 - inches * 72, side: inches * 72 };
  page.pushOperators(
    pushGraphicsState(),
    setFillingGrayscaleColor(0),
    concatTransformationMatrix(at.side, 0, 0, at.side, at.x, at.y),
    drawObject("Mask"),
    popGraphicsState(),
  );
  return doc.save();
}
