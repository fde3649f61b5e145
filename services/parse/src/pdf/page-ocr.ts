// Runs in the PDF CHILD (pdf-child.ts): decides per page whether to OCR (ocr-decision.ts) and,
// if so, renders the page with pdf.js onto a @napi-rs/canvas at ~300 dpi (less for huge pages),
// /Rotate applied (images far above that resolution shrunk first, image-downscale.ts), and
// writes it as a grey PGM for the OCR pool. Rendering decodes images, so it
// uses a second document opened with images enabled; the text pass keeps them off (pdf-child.ts).
import { readdir, rename, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { createCanvas, ImageData } from "@napi-rs/canvas";
import * as pdfjs from "pdfjs-dist/legacy/build/pdf.mjs";
import type { PDFDocumentLoadingTask, PDFDocumentProxy } from "pdfjs-dist/legacy/build/pdf.mjs";
import type { ChildOcrHeader, PageJson, RasterJson } from "./child-protocol.js";
import { coveredShare, decideOcr, judgeTextLayer, type Box } from "../ocr/ocr-decision.js";
import { shrinkArrivingImages } from "./image-downscale.js";
import { collectGraphics } from "./page-graphics.js";
import { encodePgm, rgbaToGray } from "../ocr/pgm.js";

const pdfjsDir = path.dirname(createRequire(import.meta.url).resolve("pdfjs-dist/package.json"));
/** How often the child looks whether the OCR pool has consumed a raster, while it waits. */
const FLOW_POLL_MS = 25;

/** A shrunk image mask as a canvas pdf.js can draw; `close` because pdf.js closes ImageBitmaps it drops. */
function canvasBitmap(width: number, height: number, rgba: Uint8ClampedArray): unknown {
  const canvas = createCanvas(width, height);
  canvas.getContext("2d").putImageData(new ImageData(rgba, width, height), 0, 0);
  return Object.assign(canvas, { close: () => undefined });
}

export type OcrPlan = Pick<PageJson, "ocr" | "ocrReason" | "raster">;

export class PageOcrPlanner {
  private render: { task: PDFDocumentLoadingTask; doc: Promise<PDFDocumentProxy> } | null = null;
  private readonly parentPid = process.ppid;

  /** `bytes` must be this planner's own copy: pdf.js takes ownership of what it is given. */
  constructor(
    private readonly header: ChildOcrHeader,
    private readonly bytes: Uint8Array,
    private readonly password: string,
  ) {}

  async plan(page: PageJson): Promise<OcrPlan> {
    const verdict = judgeTextLayer(page.items, page.width, page.height);
    const decision = await decideOcr(this.header.mode, verdict, async () =>
      coveredShare(page.graphics?.images ?? (await this.imageBoxes(page.pageNumber)), page.width, page.height),
    );
    if (!decision.ocr) return { ocr: false, ocrReason: decision.reason };
    return { ocr: true, ocrReason: decision.reason, raster: await this.rasterize(page.pageNumber) };
  }

  async destroy(): Promise<void> {
    await this.render?.task.destroy().catch(() => undefined);
  }

  /** Image placements from the rendering document's operator list (reused by the render that may follow). */
  private async imageBoxes(pageNumber: number): Promise<Box[]> {
    const page = await (await this.document()).getPage(pageNumber);
    const list = await page.getOperatorList();
    return collectGraphics(list, page.getViewport({ scale: 1 }).transform, pdfjs.OPS).images;
  }

  private async rasterize(pageNumber: number): Promise<RasterJson> {
    await this.waitForRoom();
    const page = await (await this.document()).getPage(pageNumber);
    try {
      const base = page.getViewport({ scale: 1 }); // /Rotate applied: the page as displayed
      let scale = this.header.dpi / 72;
      const pixels = base.width * base.height * scale * scale;
      if (pixels > this.header.maxPixels) scale *= Math.sqrt(this.header.maxPixels / pixels);
      const viewport = page.getViewport({ scale });
      const canvas = createCanvas(Math.max(1, Math.floor(viewport.width)), Math.max(1, Math.floor(viewport.height)));
      // Images far larger than this raster are shrunk to about its size before pdf.js paints
      // them (image-downscale.ts): a fax-resolution scan then costs page-sized canvases, not GBs.
      const unhook = shrinkArrivingImages(
        page.objs as unknown as Parameters<typeof shrinkArrivingImages>[0],
        canvas.width * canvas.height,
        canvasBitmap,
      );
      try {
        // @napi-rs/canvas is what pdf.js itself uses in Node; its types are not the DOM's.
        await page.render({ canvas: canvas as unknown as Parameters<typeof page.render>[0]["canvas"], viewport }).promise;
      } finally {
        unhook();
      }
      const gray = rgbaToGray(canvas.data(), canvas.width, canvas.height);
      const file = path.join(this.header.rasterDir, `p${pageNumber}.pgm`);
      // Written aside and renamed, so the OCR pool never reads (and waitForRoom never counts) half a file.
      await writeFile(`${file}.part`, encodePgm(gray));
      await rename(`${file}.part`, file);
      return { path: file, dpi: Math.round(scale * 72 * 100) / 100, widthPx: gray.width, heightPx: gray.height };
    } finally {
      page.cleanup();
    }
  }

  /**
   * Flow control: at most `maxAhead` rasters wait for the OCR pool (which deletes each once read),
   * so a 300-page scan never puts 300 × 8 MB on disk. The parent's time limit is paused meanwhile.
   */
  private async waitForRoom(): Promise<void> {
    for (;;) {
      const waiting = (await readdir(this.header.rasterDir)).filter((f) => f.endsWith(".pgm")).length;
      if (waiting < this.header.maxAhead) return;
      if (process.ppid !== this.parentPid) process.exit(1); // orphaned: nobody will read them
      await sleep(FLOW_POLL_MS);
    }
  }

  private document(): Promise<PDFDocumentProxy> {
    if (!this.render) {
      // The text pass's parameters (pdf-child.ts), but with images: rendering needs their pixels.
      const task = pdfjs.getDocument({
        // No isEvalSupported: pdf.js 6 has no eval left; the child's Node flag is the guard.
        data: this.bytes,
        password: this.password,
        disableFontFace: true,
        useSystemFonts: false,
        enableXfa: false,
        verbosity: 0,
        standardFontDataUrl: `${pdfjsDir}/standard_fonts/`,
        cMapUrl: `${pdfjsDir}/cmaps/`,
        cMapPacked: true,
        wasmUrl: `${pdfjsDir}/wasm/`,
      });
      this.render = { task, doc: task.promise };
    }
    return this.render.doc;
  }
}
