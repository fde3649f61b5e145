// Parent side of the PDF child's output: turns its JSON lines into ParsedPages. A page the child
// rendered for OCR goes to the OCR pool at once (the child renders the next page meanwhile) and
// is finished when its text comes back, so pages complete out of order; the document keeps the
// child's order, and progress counts pages as they complete.
import { rm } from "node:fs/promises";
import { create } from "@bufbuild/protobuf";
import { ParsedPageSchema, type ParsedPage } from "@quire/contracts";
import type { ChildLine, PageJson } from "../pdf/child-protocol.js";
import type { OcrPageJson } from "../ocr/ocr-protocol.js";

/** Recognizes one rendered page (the OCR pool, bound to the job's languages and signal). */
export type RecognizeRaster = (page: PageJson & { raster: NonNullable<PageJson["raster"]> }) => Promise<OcrPageJson>;

export type OnPage = (page: ParsedPage, index: number, total: number) => void | Promise<void>;

export class Collector {
  pageCount = 0;
  total = 0;
  error: { code: string; message: string } | undefined;
  done = false;
  /** Rasters handed to OCR and not finished yet: the child is waiting on us when this is high. */
  outstanding = 0;
  private readonly slots: (ParsedPage | undefined)[] = [];
  private readonly pending: Promise<void>[] = [];
  private completed = 0;
  private ocrFailure: { err: unknown } | undefined;

  /** `onOcrFailure` is told the first OCR (or onPage) failure, to stop the child. */
  constructor(
    private readonly onPage: OnPage | undefined,
    private readonly recognize?: RecognizeRaster,
    private readonly onOcrFailure?: (err: unknown) => void,
  ) {}

  async onLine(raw: string): Promise<void> {
    let line: ChildLine;
    try {
      line = JSON.parse(raw) as ChildLine;
    } catch {
      return; // not protocol (the child routes console output to stderr, but be lenient)
    }
    if (line.type === "meta") {
      this.pageCount = line.pageCount;
      this.total = line.pages.length;
    } else if (line.type === "page") {
      await this.onPageLine(line.page);
    } else if (line.type === "error") {
      this.error = { code: line.code, message: line.message };
    } else if (line.type === "done") {
      this.done = true;
    }
  }

  /** Pages in the child's order, once every OCR page has finished; rethrows the first OCR failure. */
  async pages(): Promise<ParsedPage[]> {
    await Promise.all(this.pending);
    if (this.ocrFailure) throw this.ocrFailure.err;
    return this.slots.filter((p): p is ParsedPage => p !== undefined);
  }

  get failed(): unknown {
    return this.ocrFailure?.err;
  }

  private async onPageLine(page: PageJson): Promise<void> {
    const index = this.slots.push(undefined) - 1;
    const { raster, ...rest } = page;
    if (!raster || !this.recognize) return this.finish(index, create(ParsedPageSchema, rest));
    this.outstanding++;
    const work = this.recognize({ ...page, raster })
      .then((ocr) => this.finish(index, ocrPage(rest, ocr)))
      .catch((err: unknown) => {
        if (!this.ocrFailure) {
          this.ocrFailure = { err };
          this.onOcrFailure?.(err);
        }
      })
      .then(() => {
        this.outstanding--;
        return rm(raster.path, { force: true });
      });
    this.pending.push(work);
  }

  private async finish(index: number, page: ParsedPage): Promise<void> {
    this.slots[index] = page;
    if (this.ocrFailure) return; // the document has failed: no more progress for it
    await this.onPage?.(page, this.completed++, this.total);
  }
}

/** The page with its text layer replaced by the OCR lines; a page read turned 90° swaps its sides. */
function ocrPage(page: Omit<PageJson, "raster">, ocr: OcrPageJson): ParsedPage {
  const sideways = ocr.rotation % 180 !== 0;
  return create(ParsedPageSchema, {
    ...page,
    width: sideways ? page.height : page.width,
    height: sideways ? page.width : page.height,
    items: ocr.items,
    ocr: true,
    ocrRotation: ocr.rotation,
    ocrConfidence: ocr.confidence,
  });
}
