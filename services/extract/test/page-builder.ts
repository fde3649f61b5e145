/**
 * Builds ParsedDocuments by hand for layout tests: items placed in PDF points from the page's
 * top-left, as parse emits them (y = top of the text box, height = font size).
 */
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import {
  PageGraphicsSchema,
  ParsedDocumentSchema,
  ParsedPageSchema,
  TextItemSchema,
  type ParsedDocument,
  type ParsedPage,
  type TextItem,
} from "@quire/contracts";

export interface ItemStyle {
  size?: number;
  bold?: boolean;
  monospace?: boolean;
  /** Width of the item; default: 0.5 em per character (about Helvetica's average). */
  width?: number;
  /** PostScript font name; default Helvetica (Courier for monospace). */
  font?: string;
  /** "ltr" (default), "rtl" or "ttb". */
  dir?: string;
}

/** Average glyph width used when a test does not give one, in em. */
export const CHAR_EM = 0.5;

export function item(text: string, x: number, top: number, style: ItemStyle = {}): TextItem {
  const size = style.size ?? 10;
  return create(TextItemSchema, {
    text,
    x,
    y: top,
    height: size,
    fontSize: size,
    width: style.width ?? text.length * CHAR_EM * size,
    fontName: style.font ?? (style.monospace ? "Courier" : style.bold ? "Helvetica-Bold" : "Helvetica"),
    bold: style.bold ?? false,
    monospace: style.monospace ?? false,
    dir: style.dir ?? "ltr",
  });
}

/** Items placed left to right with no gap, as pdf.js splits one run of text. */
export function touching(parts: string[], x: number, top: number, style: ItemStyle = {}): TextItem[] {
  const out: TextItem[] = [];
  let cursor = x;
  for (const part of parts) {
    const it = item(part, cursor, top, style);
    out.push(it);
    cursor += it.width;
  }
  return out;
}

export interface ParagraphOptions extends ItemStyle {
  /** Baseline-to-baseline distance. @default 1.2 × size */
  leading?: number;
}

/** One item per line, stacked at the given leading. */
export function paragraph(lines: string[], x: number, top: number, opts: ParagraphOptions = {}): TextItem[] {
  const leading = opts.leading ?? 1.2 * (opts.size ?? 10);
  return lines.map((text, i) => item(text, x, top + i * leading, opts));
}

/** The top of the line after `items`' last line, plus `gap`. */
export function below(items: TextItem[], gap = 0, leading?: number): number {
  const last = items.at(-1);
  if (!last) return gap;
  return last.y + (leading ?? 1.2 * last.fontSize) + gap;
}

export interface PageOptions {
  pageNumber?: number;
  width?: number;
  height?: number;
  ocr?: boolean;
  ocrReason?: string;
  /** Rules, fills, images and shapes, as parse reports them from the operator list. */
  graphics?: MessageInitShape<typeof PageGraphicsSchema>;
}

export function page(items: TextItem[], opts: PageOptions = {}): ParsedPage {
  return create(ParsedPageSchema, {
    pageNumber: opts.pageNumber ?? 1,
    width: opts.width ?? 612,
    height: opts.height ?? 792,
    items,
    ocr: opts.ocr ?? false,
    ocrReason: opts.ocrReason ?? "",
    ...(opts.graphics ? { graphics: opts.graphics } : {}),
  });
}

/** A horizontal rule from x0 to x1 at y, and a vertical one at x from y0 to y1 (page points, top-left origin). */
export const hRule = (y: number, x0: number, x1: number) => ({ x0, y0: y, x1, y1: y, width: 0.5 });
export const vRule = (x: number, y0: number, y1: number) => ({ x0: x, y0, x1: x, y1, width: 0.5 });

export function doc(...pages: ParsedPage[]): ParsedDocument {
  return create(ParsedDocumentSchema, { pageCount: pages.length, pages, sha256: "0".repeat(64) });
}

/** Filler sentence of about `chars` characters, distinct per `seed`, for column text. */
export function words(seed: string, chars: number): string {
  const base = `${seed} lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore`;
  return base
    .repeat(Math.ceil(chars / base.length))
    .slice(0, chars)
    .trim();
}
