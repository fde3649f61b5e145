import type { Block, ExtractionPage } from "@quire/contracts";
import { addTerms, type TermBag } from "./bm25.js";
import { dominantScript, guessLanguage, terms, words } from "./text.js";

/** A page number printed on the page, read from its furniture. */
export interface PrintedNumber {
  value: number;
  /** N of "Page k of N" / "k/N". */
  of?: number;
  roman: boolean;
  /** The text it was read from, for reasons. */
  text: string;
}

/** What the engines read of one page. */
export interface PageFeatures {
  page: number;
  width: number;
  height: number;
  /** Weighted index terms: title and heading text counts more than body text. */
  bag: TermBag;
  /** Plain lower-cased words, for the language guess. */
  words: string[];
  blank: boolean;
  script?: string;
  language?: string;
  /** Running text of the page's top and bottom bands (header, footer, letterhead), digits dropped. */
  running: Set<string>;
  /** First running line as printed, for reasons. */
  runningSample?: string;
  number?: PrintedNumber;
  /** A title near the top of the page, as printed. */
  title?: string;
  /** Block texts in reading order (furniture included), for partition keys. */
  lines: string[];
}

/** How much a block's words count toward a page's score, by what the block is. */
const TYPE_WEIGHT: Record<Block["type"], number> = {
  title: 3,
  heading: 2,
  paragraph: 1,
  list_item: 1,
  table: 1,
  figure: 1,
  caption: 1,
  code: 0.5,
  formula: 0.5,
  header: 1,
  footer: 1,
  page_number: 0,
};

const FURNITURE = new Set<Block["type"]>(["header", "footer", "page_number"]);
/** Blocks wholly in the top or bottom band of the page are running text even when the parser did not say so. */
const TOP_BAND = 0.09;
const BOTTOM_BAND = 0.92;

/** Reads one page's features; pure, so the whole bundle can be read up front. */
export function pageFeatures(p: ExtractionPage): PageFeatures {
  const bag: TermBag = new Map();
  const allWords: string[] = [];
  const running = new Set<string>();
  let runningSample: string | undefined;
  let title: string | undefined;
  let number: PrintedNumber | undefined;
  for (const b of p.blocks) {
    const text = b.text.trim();
    if (text === "") continue;
    const weight = b.type === "heading" && (b.level ?? 2) <= 1 ? 3 : TYPE_WEIGHT[b.type];
    if (weight > 0) addTerms(bag, terms(text), weight);
    if (b.type !== "page_number") allWords.push(...words(text));
    const band = FURNITURE.has(b.type) || b.bbox[3] <= TOP_BAND || b.bbox[1] >= BOTTOM_BAND;
    if (band) {
      number ??= printedNumber(text, b.type === "page_number", FURNITURE.has(b.type));
      if (b.type !== "page_number") {
        const norm = words(text)
          .filter((w) => !/^\p{N}+$/u.test(w) && !isRoman(w))
          .join(" ");
        if (norm.length >= 3) {
          running.add(norm);
          runningSample ??= text.slice(0, 60);
        }
      }
    } else {
      number ??= explicitPageOf(text);
    }
    if (title === undefined && b.type === "title" && b.bbox[1] < 0.35) title = text.slice(0, 80);
  }
  const script = dominantScript(allWords.join(" "));
  const language = script === "latin" ? guessLanguage(allWords) : undefined;
  return {
    page: p.page_number,
    width: p.width,
    height: p.height,
    bag,
    words: allWords,
    blank: bag.size === 0,
    running,
    lines: orderedLines(p.blocks),
    ...(script ? { script } : {}),
    ...(language ? { language } : {}),
    ...(runningSample ? { runningSample } : {}),
    ...(number ? { number } : {}),
    ...(title ? { title } : {}),
  };
}

/** Block texts top to bottom, left to right: the order labels and their values are read in. */
function orderedLines(blocks: readonly Block[]): string[] {
  return [...blocks]
    .sort((a, b) => (Math.abs(a.bbox[1] - b.bbox[1]) < 0.004 ? a.bbox[0] - b.bbox[0] : a.bbox[1] - b.bbox[1]))
    .map((b) => b.text.trim())
    .filter((t) => t !== "");
}

const PAGE_WORD = String.raw`(?:page|pages|pg|p\.|seite|pagina|página|blad|bladzijde|стр\.?|страница)`;
const OF_WORD = String.raw`(?:of|von|de|sur|van|di|из|/)`;
const PAGE_OF = new RegExp(String.raw`${PAGE_WORD}\s*(\d{1,4})\s*${OF_WORD}\s*(\d{1,4})(?!\d)`, "iu");
const PAGE_K = new RegExp(String.raw`(?:^|\s)${PAGE_WORD}\s*(\d{1,4})(?![\d/])`, "iu");

/** "Page 3 of 7" anywhere on the page: specific enough to trust outside the furniture. */
function explicitPageOf(text: string): PrintedNumber | undefined {
  const m = PAGE_OF.exec(text);
  if (!m) return undefined;
  const value = Number(m[1]);
  const of = Number(m[2]);
  return value >= 1 && of >= value ? { value, of, roman: false, text: m[0].trim() } : undefined;
}

/** A page number in running text: "Page 3 of 7", "3/7", "- 3 -", "Page 3", "iii", or a number leading or ending a header/footer. */
export function printedNumber(text: string, isPageNumberBlock: boolean, isFurniture = isPageNumberBlock): PrintedNumber | undefined {
  const t = text.normalize("NFKC").trim();
  const explicit = explicitPageOf(t);
  if (explicit) return explicit;
  let m = /^(\d{1,4})\s*\/\s*(\d{1,4})$/u.exec(t);
  if (m) {
    const value = Number(m[1]);
    const of = Number(m[2]);
    if (value >= 1 && of >= value) return { value, of, roman: false, text: t };
  }
  m = /^[-–—(\s]*(\d{1,4})[-–—)\s]*$/u.exec(t);
  if (m) return { value: Number(m[1]), roman: false, text: t };
  m = PAGE_K.exec(t);
  if (m) return { value: Number(m[1]), roman: false, text: m[0].trim() };
  if (isPageNumberBlock && isRoman(t.toLowerCase())) return { value: romanValue(t.toLowerCase()), roman: true, text: t };
  // A running head like "4 FREE CULTURE" or "INTRODUCTION 5": only in blocks the parser saw repeat
  // as furniture, since a letterhead's street number or a citation looks the same.
  if (!isFurniture) return undefined;
  m = /^(\d{1,3})\s+[\p{L}\p{P}]/u.exec(t) ?? /[\p{L}\p{P}]\s+(\d{1,3})$/u.exec(t);
  if (m) return { value: Number(m[1]), roman: false, text: t };
  return undefined;
}

function isRoman(w: string): boolean {
  return /^(?=[ivxlc])c{0,3}(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})$/u.test(w);
}

function romanValue(w: string): number {
  const v: Record<string, number> = { i: 1, v: 5, x: 10, l: 50, c: 100 };
  let total = 0;
  for (let i = 0; i < w.length; i++) {
    const cur = v[w[i]!] ?? 0;
    const next = v[w[i + 1] ?? ""] ?? 0;
    total += cur < next ? -cur : cur;
  }
  return total;
}
