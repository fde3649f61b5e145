// An image file (PNG, JPEG, WebP, or a TIFF with one or more pages) → ParsedDocument through
// the OCR pool. The file is written once to a private temp folder; the pool's workers decode
// the page each is given (so a hostile file can only crash a worker) and the pages of one
// file are recognized in parallel.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { create } from "@bufbuild/protobuf";
import { ParsedDocumentSchema, ParsedPageSchema, type ParsedDocument, type ParsedPage } from "@quire/contracts";
import { ErrorCode, QuireError, sha256Hex } from "@quire/runtime";
import { OcrReason } from "./ocr-decision.js";
import type { OcrPool } from "./ocr-pool.js";
import { PageSelectionError, parsePageSelection, resolvePages } from "../pages/page-selection.js";
import type { OnPage } from "../pages/page-collector.js";

export interface ImageDocumentOptions {
  pool: Pick<OcrPool, "ocr" | "probe">;
  languages: readonly string[];
  /** Page selection like "1-3,7" (multi-page TIFF); empty = all. */
  pages?: string;
  maxPages: number;
  signal?: AbortSignal;
  onPage?: OnPage;
}

export async function parseImage(bytes: Uint8Array, opts: ImageDocumentOptions): Promise<ParsedDocument> {
  const dir = await mkdtemp(path.join(tmpdir(), "quire-image-"));
  try {
    const file = path.join(dir, "input");
    await writeFile(file, bytes);
    const { pages: pageCount } = await opts.pool.probe(file, opts.signal);
    const selected = selectPages(opts.pages ?? "", pageCount, opts.maxPages);
    let done = 0;
    // The first failed page drops the file's other queued pages from the pool.
    const stop = new AbortController();
    const signal = opts.signal ? AbortSignal.any([opts.signal, stop.signal]) : stop.signal;
    const pages = await Promise.all(
      selected.map(async (n): Promise<ParsedPage> => {
        const label = pageCount > 1 ? `page ${n}` : "the image";
        const ocr = await opts.pool.ocr({ kind: "image", path: file, page: n - 1 }, opts.languages, label, signal).catch((err: unknown) => {
          stop.abort(err);
          throw err;
        });
        const page = create(ParsedPageSchema, {
          pageNumber: n,
          width: ocr.width,
          height: ocr.height,
          items: ocr.items,
          ocr: true,
          ocrReason: OcrReason.ImageInput,
          ocrRotation: ocr.rotation,
          ocrConfidence: ocr.confidence,
        });
        await opts.onPage?.(page, done++, selected.length);
        return page;
      }),
    );
    return create(ParsedDocumentSchema, { pageCount, pages, sha256: sha256Hex(bytes) });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function selectPages(spec: string, pageCount: number, maxPages: number): number[] {
  let pages: number[];
  try {
    pages = resolvePages(parsePageSelection(spec), pageCount);
  } catch (err) {
    if (err instanceof PageSelectionError) throw new QuireError(ErrorCode.InvalidArgument, err.message);
    throw err;
  }
  if (pages.length > maxPages) {
    throw new QuireError(
      ErrorCode.DocumentTooComplex,
      `${pages.length} pages selected, more than the limit of ${maxPages}; select fewer with \`pages\` or raise QUIRE_PARSE_MAX_PAGES`,
    );
  }
  return pages;
}
