// pdf.js text items → Quire TextItems: top-left-origin boxes in PDF points, with style guesses.
// Pure functions (no pdf.js import), so the geometry is unit-testable without a PDF.
import type { ItemJson } from "./page-types.js";

/** [a, b, c, d, e, f], the PDF/pdf.js affine matrix layout. */
export type Matrix = readonly number[];

/** The fields of a pdf.js TextItem this module reads (marked-content entries lack `str`). */
export interface RawTextItem {
  str: string;
  dir: string;
  width: number;
  height: number;
  transform: Matrix;
  fontName: string;
  hasEOL: boolean;
}

/** pdf.js TextStyle: ascent/descent as fractions of the em, fontFamily a CSS fallback. */
export interface RawStyle {
  fontFamily: string;
  ascent: number | null;
  descent: number | null;
  vertical: boolean;
}

export function multiply(m1: Matrix, m2: Matrix): number[] {
  const [a1 = 1, b1 = 0, c1 = 0, d1 = 1, e1 = 0, f1 = 0] = m1;
  const [a2 = 1, b2 = 0, c2 = 0, d2 = 1, e2 = 0, f2 = 0] = m2;
  return [a1 * a2 + c1 * b2, b1 * a2 + d1 * b2, a1 * c2 + c1 * d2, b1 * c2 + d1 * d2, a1 * e2 + c1 * f2 + e1, b1 * e2 + d1 * f2 + f1];
}

const round = (v: number): number => Math.round(v * 100) / 100;

/** Font ascent/descent in em, clamped: pdf.js reports 0, null or nonsense for some fonts. */
function verticalMetrics(style: RawStyle | undefined): { ascent: number; descent: number } {
  const descent = style?.descent != null && style.descent <= 0 && style.descent >= -1 ? style.descent : -0.2;
  let ascent = style?.ascent != null && style.ascent > 0 && style.ascent <= 1.5 ? style.ascent : 1 + descent;
  if (ascent <= 0) ascent = 0.8;
  return { ascent, descent };
}

/**
 * The axis-aligned box of one run on the viewport (scale 1, /Rotate applied, y down).
 * `tx` = viewport × item matrix; its first column runs along the baseline, its second
 * points "up" the glyphs, so rotated pages and rotated text both come out right.
 */
function boxOf(item: RawTextItem, tx: number[], style: RawStyle | undefined) {
  const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0] = tx;
  const fontSize = Math.hypot(c, d) || Math.hypot(a, b);
  const along = unit(a, b);
  const up = unit(c, d);
  const { ascent, descent } = verticalMetrics(style);
  // Horizontal runs advance along the baseline by item.width; vertical (ttb) runs advance
  // "down" by item.height and are item.width wide, centred on the origin.
  const span = style?.vertical
    ? { u0: -item.width / 2, u1: item.width / 2, v0: -item.height, v1: 0 }
    : { u0: 0, u1: item.width, v0: descent * fontSize, v1: ascent * fontSize };
  const xs: number[] = [];
  const ys: number[] = [];
  for (const u of [span.u0, span.u1]) {
    for (const v of [span.v0, span.v1]) {
      xs.push(e + along.x * u + up.x * v);
      ys.push(f + along.y * u + up.y * v);
    }
  }
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  return { x, y, width: Math.max(...xs) - x, height: Math.max(...ys) - y, fontSize };
}

function unit(x: number, y: number): { x: number; y: number } {
  const n = Math.hypot(x, y);
  return n === 0 ? { x: 1, y: 0 } : { x: x / n, y: y / n };
}

const SUBSET_TAG = /^[A-Z]{6}\+/;
// TeX fonts follow Berry's scheme: a family prefix (CM, cm-super SF, EC, TC) then the series
// and shape, e.g. CMBX10 / SFBX1000 bold, SFTI1000 italic, ECTT1000 typewriter.
const TEX = "^(?:CM|SF|EC|TC)";
const BOLD = new RegExp(`bold|black|heavy|demi|semibold|-medi|${TEX}(?:SS)?(?:BX|SX|BI|BL|XC|RB|B(?=\\d))`, "i");
const ITALIC = new RegExp(`italic|oblique|slanted|${TEX}(?:TI|SL|SI|BI|BL|MI|ITT|SLTT|SSI)\\d|${TEX}BX(?:TI|SL)`, "i");
const MONO = new RegExp(`mono|courier|consol|typewriter|${TEX}(?:TT|SLTT|ITT)\\d|^LMMono`, "i");
// pdf.js gives symbol fonts a monospace CSS family; their glyphs (•, ∑, →) are not code.
const SYMBOL = new RegExp(`symbol|dingbat|wingding|${TEX}(?:SY|EX|MI)\\d|^MSAM|^MSBM`, "i");

/** Bold/italic/monospace from a PostScript font name (subset tag removed) and the CSS family. */
export function fontFlags(realName: string, family: string): { bold: boolean; italic: boolean; monospace: boolean } {
  const name = realName.replace(SUBSET_TAG, "");
  return {
    bold: BOLD.test(name),
    italic: ITALIC.test(name),
    monospace: !SYMBOL.test(name) && (family === "monospace" || MONO.test(name)),
  };
}

/**
 * Converts one page's text content. `realNames` maps pdf.js's internal font ids ("g_d0_f1")
 * to the PDF's BaseFont names when known; without them only monospace can be guessed.
 * Empty runs are dropped; an empty end-of-line marker moves its EOL onto the run before it.
 */
export function convertItems(
  raw: readonly unknown[],
  styles: Readonly<Record<string, RawStyle>>,
  viewport: Matrix,
  realNames: ReadonlyMap<string, string> = new Map(),
): ItemJson[] {
  const out: ItemJson[] = [];
  for (const entry of raw) {
    if (!isTextItem(entry)) continue;
    if (entry.str === "") {
      const prev = out.at(-1);
      if (prev && entry.hasEOL) prev.hasEol = true;
      continue;
    }
    const style = styles[entry.fontName];
    const box = boxOf(entry, multiply(viewport, entry.transform), style);
    const realName = realNames.get(entry.fontName) ?? "";
    out.push({
      text: entry.str,
      x: round(box.x),
      y: round(box.y),
      width: round(box.width),
      height: round(box.height),
      fontName: realName.replace(SUBSET_TAG, "") || entry.fontName,
      fontSize: round(box.fontSize),
      hasEol: entry.hasEOL,
      ...fontFlags(realName, style?.fontFamily ?? ""),
      dir: entry.dir,
    });
  }
  return out;
}

function isTextItem(v: unknown): v is RawTextItem {
  return (
    typeof v === "object" &&
    v !== null &&
    typeof (v as { str?: unknown }).str === "string" &&
    Array.isArray((v as { transform?: unknown }).transform)
  );
}
