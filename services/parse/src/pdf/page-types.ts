// The data shapes a page's text and graphics travel in, from the PDF child to the parent
// (child-protocol.ts) and on to OCR and extract. Types only, in a module of their own, so the
// walkers that fill them (text-geometry.ts, path-shapes.ts, page-graphics.ts) and the protocol
// that carries them import this and not one another.
import type { TextItem } from "@quire/contracts";

/**
 * One run of text, in PDF points, origin at the top-left of the (rotated) page: the fields of
 * the TextItem message (artifacts.proto) as plain JSON, `confidence` for OCR lines only.
 */
export type ItemJson = Omit<TextItem, "$typeName" | "$unknown" | "confidence"> & { confidence?: number };

export interface SegmentJson {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  width: number;
}
export interface RectJson {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface GraphicsJson {
  rules: SegmentJson[];
  fills: RectJson[];
  images: RectJson[];
  shapes: RectJson[];
  truncated: boolean;
}
