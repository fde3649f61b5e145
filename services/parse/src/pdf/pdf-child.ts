// Runs in a CHILD PROCESS (see pdf-parser.ts), started with --disallow-code-generation-from-strings
// and a heap cap, and killed by the parent on timeout or excess RSS: a hostile PDF can at worst
// take this process down, never the stage worker. Protocol: child-protocol.ts.
import { createRequire } from "node:module";
import path from "node:path";
import * as pdfjs from "pdfjs-dist/legacy/build/pdf.mjs";
import type { PDFDocumentProxy, PDFPageProxy } from "pdfjs-dist/legacy/build/pdf.mjs";
import { readChildInputs, type ChildHeader, type ChildLine, type PageJson } from "./child-protocol.js";
import { PageSelectionError, parsePageSelection, resolvePages } from "../pages/page-selection.js";
import { collectGraphics } from "./page-graphics.js";
import type { GraphicsJson } from "./page-types.js";
import { PageOcrPlanner } from "./page-ocr.js";
import { applyLetterSpacingFixes, letterSpacingFixes, type LetterSpacingFixes } from "./letter-spacing.js";
import { applyLigatureFixes, ligatureFixes } from "./rtl-ligatures.js";
import { convertItems, type RawStyle } from "./text-geometry.js";

/** An error with a Quire error code, reported to the parent as an "error" line. */
class ChildError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

// stdout is the protocol channel: anything pdf.js (or a dependency) prints goes to stderr.
console.log = console.info = console.warn = console.debug = console.error;

const pdfjsDir = path.dirname(createRequire(import.meta.url).resolve("pdfjs-dist/package.json"));

function emit(line: ChildLine): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(`${JSON.stringify(line)}\n`, (err) => (err ? reject(err) : resolve()));
  });
}

async function openDocument(bytes: Uint8Array, password: string) {
  const params = {
    data: bytes,
    password,
    // Removed in pdf.js 5.7 (no eval left to disable) and ignored by 6.x; kept so a downgrade
    // cannot silently turn eval back on. The real guard is the Node flag on this process.
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    enableXfa: false,
    verbosity: 0,
    // Only the operator-list walk (font names) sees images; removing them from it means no
    // image is ever decoded, which is where decompression bombs go off.
    maxImageSize: 1,
    fontExtraProperties: true,
    standardFontDataUrl: `${pdfjsDir}/standard_fonts/`,
    cMapUrl: `${pdfjsDir}/cmaps/`,
    cMapPacked: true,
    wasmUrl: `${pdfjsDir}/wasm/`,
  };
  const task = pdfjs.getDocument(params);
  try {
    return { task, doc: await task.promise };
  } catch (err) {
    await task.destroy().catch(() => undefined);
    throw openError(err);
  }
}

function openError(err: unknown): ChildError {
  const name = err instanceof Error ? err.name : "";
  const message = err instanceof Error ? err.message : String(err);
  if (name === "PasswordException") {
    const wrong = (err as { code?: number }).code === pdfjs.PasswordResponses.INCORRECT_PASSWORD;
    return new ChildError(
      "PDF_PASSWORD_REQUIRED",
      wrong
        ? "the password given for this encrypted PDF is incorrect; pass the document's password in `password`"
        : "this PDF is encrypted; pass its password in `password`",
    );
  }
  return new ChildError("INVALID_PDF", `the file could not be read as a PDF: ${message}`);
}

/**
 * One walk of the operator list serves four ends: pdf.js's internal font ids → the PDF's
 * BaseFont names (bold/italic), the page's rules, boxes and image placements (tables,
 * figures), and the glyph runs that show where pdf.js misspells Arabic ligatures and
 * letter-spaced text.
 */
async function walkOperatorList(
  page: PDFPageProxy,
  fontIds: string[],
  viewport: number[],
): Promise<{ names: Map<string, string>; graphics: GraphicsJson; ligatures: Map<string, string>; letterSpacing: LetterSpacingFixes }> {
  const list = await page.getOperatorList({ annotationMode: pdfjs.AnnotationMode.DISABLE });
  const names = new Map<string, string>();
  for (const id of fontIds) {
    if (!page.commonObjs.has(id)) continue;
    const font = page.commonObjs.get(id) as { name?: unknown } | null;
    if (typeof font?.name === "string") names.set(id, font.name);
  }
  return {
    names,
    graphics: collectGraphics(list, viewport, pdfjs.OPS),
    ligatures: ligatureFixes(list, pdfjs.OPS),
    letterSpacing: letterSpacingFixes(list, pdfjs.OPS),
  };
}

async function readPage(doc: PDFDocumentProxy, pageNumber: number, header: ChildHeader): Promise<PageJson> {
  const page = await doc.getPage(pageNumber);
  try {
    const viewport = page.getViewport({ scale: 1 }); // honours /Rotate and the crop box origin
    const content = await page.getTextContent();
    const styles = content.styles as Record<string, RawStyle>;
    const walked = header.fontStyles ? await walkOperatorList(page, Object.keys(styles), viewport.transform) : undefined;
    return {
      pageNumber,
      width: Math.round(viewport.width * 100) / 100,
      height: Math.round(viewport.height * 100) / 100,
      items: applyLetterSpacingFixes(
        applyLigatureFixes(convertItems(content.items, styles, viewport.transform, walked?.names), walked?.ligatures ?? new Map()),
        walked?.letterSpacing ?? { runs: new Map(), words: new Map() },
      ),
      ...(walked ? { graphics: walked.graphics } : {}),
    };
  } finally {
    page.cleanup();
  }
}

async function run(header: ChildHeader, bytes: Uint8Array): Promise<void> {
  const ranges = parsePageSelection(header.pages);
  // OCR rendering opens its own copy of the document (images enabled); copied before pdf.js takes `bytes`.
  const ocr = header.ocr;
  const planner = ocr ? new PageOcrPlanner(ocr, ocr.mode === "never" ? new Uint8Array(0) : bytes.slice(), header.password) : null;
  const { task, doc } = await openDocument(bytes, header.password);
  try {
    const pages = resolvePages(ranges, doc.numPages);
    if (pages.length > header.maxPages) {
      throw new ChildError(
        "DOCUMENT_TOO_COMPLEX",
        `${pages.length} pages selected, more than the limit of ${header.maxPages}; select fewer with \`pages\` or raise QUIRE_PARSE_MAX_PAGES`,
      );
    }
    await emit({ type: "meta", pageCount: doc.numPages, pages });
    for (const n of pages) {
      const page = await readPage(doc, n, header).catch((err: unknown) => {
        throw new ChildError("INVALID_PDF", `page ${n} could not be read: ${err instanceof Error ? err.message : String(err)}`);
      });
      if (planner) {
        Object.assign(
          page,
          await planner.plan(page).catch((err: unknown) => {
            throw new ChildError(
              "INVALID_PDF",
              `page ${n} could not be rendered for OCR: ${err instanceof Error ? err.message : String(err)}`,
            );
          }),
        );
      }
      await emit({ type: "page", page });
    }
    await emit({ type: "done" });
  } finally {
    await planner?.destroy();
    await task.destroy().catch(() => undefined);
  }
}

function asErrorLine(err: unknown): ChildLine {
  const code = err instanceof ChildError || err instanceof PageSelectionError ? err.code : "INVALID_PDF";
  const message = err instanceof Error ? err.message : String(err);
  return { type: "error", code, message };
}

/**
 * Documents one after another, as the parent sends them; each ends with "done", or with an
 * "error" line after which this process exits (the parent never reuses a child that failed).
 * It also exits when its stdin ends (the parent is done with it, or gone), and by itself when a
 * document outlasts its selfDestructMs (the parent died without killing it).
 */
async function main(): Promise<void> {
  // The parent closed our stdout (it died or gave up on us): nothing left to do.
  process.stdout.on("error", () => process.exit(1));
  for await (const { header, bytes } of readChildInputs(process.stdin as AsyncIterable<Buffer>)) {
    const selfDestruct = setTimeout(() => process.exit(70), header.selfDestructMs);
    try {
      await run(header, bytes);
    } catch (err) {
      await emit(asErrorLine(err));
      process.exit(2);
    } finally {
      clearTimeout(selfDestruct);
    }
  }
}

await main();
