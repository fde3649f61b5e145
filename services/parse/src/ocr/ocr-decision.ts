// Whether a PDF page is read from its text layer or through OCR, and the reason the page
// reports. Pure functions over the page's items and image placements, so the thresholds are
// unit-tested without a PDF; pdf-child.ts (via page-ocr.ts) applies them.
import type { ItemJson } from "../pdf/page-types.js";

export type OcrMode = "auto" | "always" | "never";

/** The `ocr_reason` of a page: closed set, documented in the README. */
export const OcrReason = {
  /** The input is an image: there is no text layer to read. */
  ImageInput: "image_input",
  /** `ocr: "always"`. */
  Always: "ocr_always",
  /** `ocr: "never"`: the text layer is used as it is, even when empty. */
  Never: "ocr_never",
  /** auto: the page has no text (a scan without an OCR layer). */
  NoTextLayer: "no_text_layer",
  /** auto: the text layer reads as garbage (a bad OCR layer, a broken font encoding). */
  JunkTextLayer: "junk_text_layer",
  /** auto: images cover most of the page and the text layer only a small part of it. */
  SparseTextOnImage: "sparse_text_on_image",
  /** auto: the text layer is usable. */
  TextLayer: "text_layer",
} as const;
export type OcrReason = (typeof OcrReason)[keyof typeof OcrReason];

export type TextLayerVerdict = "none" | "junk" | "sparse" | "good";

/** Below this many word-like tokens a page is judged by coverage only: too little to call junk. */
const MIN_TOKENS_FOR_JUNK = 8;
/**
 * Share of suspicious tokens from which the layer is junk. Measured on the pdf.js corpus: every
 * readable page ≤ 0.08 (URLs and camelCase excluded), pages whose layer is a misread OCR of
 * Cyrillic 0.21–0.68; the threshold sits between the two.
 */
const JUNK_TOKEN_SHARE = 0.15;
/** Share of unreadable characters (U+FFFD, private use, controls) that makes a layer junk on its own. */
const JUNK_CHAR_SHARE = 0.1;
/** Text boxes covering less than this share of the page count as "a small part" of it. */
export const SPARSE_TEXT_SHARE = 0.06;
/** Images covering at least this share of the page make it "mostly image". */
export const IMAGE_PAGE_SHARE = 0.5;

const LETTERS = /\p{L}/gu;
const UNREADABLE = /[\uFFFD\p{Co}\p{Cc}]/gu;
/**
 * Tokens no language writes, but a misread Cyrillic/Greek OCR layer is full of: a digit between
 * letters ("H8norosbiH"), a lower→upper flip inside a word ("KoppeKn1pOBKH", "HoMep"), or
 * bracket/operator symbols between letters ("Hanoroo6nO>KeHVIS'I", "}f{").
 */
const SUSPICIOUS = [/\p{L}\d+\p{L}/u, /\p{Ll}\p{Lu}/u, /\p{L}[<>{}[\]|\\~^#$%*=]+\p{L}/u];
/** camelCase identifiers ("strokeStyle", "shadowOffsetX") flip case on purpose: not suspicious. */
const CAMEL_CASE = /^\p{Lu}?\p{Ll}{2,}(?:\p{Lu}\p{Ll}*|\d+)+$/u;
/** URLs, paths, e-mail addresses and snake_case are not words either, but they are not junk. */
const NOT_A_WORD = /:\/\/|www\.|[@/_]/u;

function isSuspicious(token: string): boolean {
  if (NOT_A_WORD.test(token)) return false;
  // "ctx.strokeStyle": each dotted part is judged on its own.
  return token.split(".").some((part) => {
    const t = part.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "");
    return !CAMEL_CASE.test(t) && SUSPICIOUS.some((re) => re.test(t));
  });
}

/** Judges the text layer alone: is there any, does it read as text, how much of the page does it cover. */
export function judgeTextLayer(items: readonly ItemJson[], pageWidth: number, pageHeight: number): TextLayerVerdict {
  const text = items.map((i) => i.text).join(" ");
  const visible = text.replace(/\s+/gu, "");
  if (visible.length === 0) return "none";
  if ((visible.match(UNREADABLE)?.length ?? 0) / visible.length >= JUNK_CHAR_SHARE) return "junk";
  if ((suspiciousShare(text) ?? 0) >= JUNK_TOKEN_SHARE) return "junk";
  return textShare(items, pageWidth, pageHeight) < SPARSE_TEXT_SHARE ? "sparse" : "good";
}

/** The share of word-like tokens that no language writes, or null when there are too few to judge. */
export function suspiciousShare(text: string): number | null {
  const tokens = text.split(/\s+/u).filter((t) => (t.match(LETTERS)?.length ?? 0) >= 2);
  return tokens.length >= MIN_TOKENS_FOR_JUNK ? tokens.filter(isSuspicious).length / tokens.length : null;
}

/** The share of the page that text boxes cover (summed: lines rarely overlap), 0..1. */
export function textShare(items: readonly ItemJson[], pageWidth: number, pageHeight: number): number {
  const area = pageWidth * pageHeight;
  if (!(area > 0)) return 0;
  let covered = 0;
  for (const i of items) {
    if (i.text.trim() !== "" && Number.isFinite(i.width * i.height)) covered += Math.abs(i.width * i.height);
  }
  return Math.min(1, covered / area);
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The share of the page covered by the union of `boxes`, measured on a grid (overlaps count once). */
export function coveredShare(boxes: readonly Box[], pageWidth: number, pageHeight: number, grid = 64): number {
  if (!(pageWidth > 0 && pageHeight > 0) || boxes.length === 0) return 0;
  const cells = new Uint8Array(grid * grid);
  const cell = (v: number, size: number): number => Math.min(grid, Math.max(0, Math.round((v / size) * grid)));
  for (const b of boxes) {
    const [x0, x1] = [cell(b.x, pageWidth), cell(b.x + b.width, pageWidth)];
    const [y0, y1] = [cell(b.y, pageHeight), cell(b.y + b.height, pageHeight)];
    for (let y = y0; y < y1; y++) cells.fill(1, y * grid + x0, y * grid + Math.max(x0, x1));
  }
  return cells.reduce((n, c) => n + c, 0) / cells.length;
}

/**
 * The decision for one PDF page. `imageShare` is asked for only when the text is sparse (it may
 * cost an operator-list walk); it returns the share of the page that images cover.
 */
export async function decideOcr(
  mode: OcrMode,
  verdict: TextLayerVerdict,
  imageShare: () => Promise<number>,
): Promise<{ ocr: boolean; reason: OcrReason }> {
  if (mode === "never") return { ocr: false, reason: OcrReason.Never };
  if (mode === "always") return { ocr: true, reason: OcrReason.Always };
  if (verdict === "none") return { ocr: true, reason: OcrReason.NoTextLayer };
  if (verdict === "junk") return { ocr: true, reason: OcrReason.JunkTextLayer };
  if (verdict === "sparse" && (await imageShare()) >= IMAGE_PAGE_SHARE) return { ocr: true, reason: OcrReason.SparseTextOnImage };
  return { ocr: false, reason: OcrReason.TextLayer };
}
