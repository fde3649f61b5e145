/**
 * Word spacing from geometry, one script at a time, on PDFs made with pdf-lib and read by the
 * real parse child (its dist/, so run `npx tsc -b` first; skipped when it is absent). Each
 * line is drawn as separate pieces (syllables, parts of words), each its own show-text
 * operation at its own position: a piece that touches its neighbour (a gap of a few hundredths
 * of an em, as kerning and split glyph runs leave) goes on the same word, a piece set one
 * space width of its font away starts a new word. The same pieces are drawn once in one font
 * (pdf.js gathers them into one text item) and once alternating between two embeddings of the
 * font (every piece its own item, so extract joins them), and both again with the letters
 * spread and squeezed by character spacing (Tc ±0.05 em, as "expanded" and "condensed"
 * text in word processors): all four must read alike. Last, each text is drawn whole, one
 * show-text operation, with wide character spacing (0.15 and 0.3 em, tracked headings), which
 * pdf.js alone would spell with a space between every letter.
 *
 * Fonts: Noto Sans KR (Hangul, Latin, Cyrillic, Han and kana) from the npm package
 * `@expo-google-fonts/noto-sans-kr`, and DejaVu Sans for Arabic, from Debian's
 * `fonts-dejavu-core`, which this project's machine image ships (Noto Sans Arabic as pdf-lib
 * embeds it maps a shaped glyph to U+0002, which would test pdf-lib rather than Quire).
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import fontkit from "@pdf-lib/fontkit";
import { PDFDocument, popGraphicsState, pushGraphicsState, setCharacterSpacing, type PDFFont, type PDFPage } from "pdf-lib";
import { beforeAll, describe, expect, it } from "vitest";
import { extractPdf, parserBuilt } from "./real-parse.js";

const NOTO_KR = createRequire(import.meta.url).resolve("@expo-google-fonts/noto-sans-kr/400Regular/NotoSansKR_400Regular.ttf");
const DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
const SIZE = 12;
/** A gap inside a word: well under any space, as kerning or a split glyph run leaves. */
const TOUCH_EM = 0.03;

/** A piece of text and whether a space (one space width of the font) follows it. */
type Piece = readonly [text: string, spaceAfter: boolean];

interface Script {
  name: string;
  font: "kr" | "dejavu";
  rtl?: boolean;
  pieces: readonly Piece[];
  expected: string;
}

const SCRIPTS: readonly Script[] = [
  {
    name: "Hangul",
    font: "kr",
    pieces: [
      ["돌입", false],
      ["한", true],
      ["와중", false],
      ["에", true],
      ["새로", false],
      ["운", true],
      ["계획", false],
      ["을", true],
      ["세웠다", false],
    ],
    expected: "돌입한 와중에 새로운 계획을 세웠다",
  },
  {
    name: "Latin",
    font: "kr",
    pieces: [
      ["Spac", false],
      ["ing", true],
      ["is", true],
      ["dec", false],
      ["ided", true],
      ["by", true],
      ["geo", false],
      ["metry", false],
    ],
    expected: "Spacing is decided by geometry",
  },
  {
    name: "Cyrillic",
    font: "kr",
    pieces: [
      ["Прост", false],
      ["ранство", true],
      ["между", true],
      ["сло", false],
      ["вами", true],
      ["видно", false],
    ],
    expected: "Пространство между словами видно",
  },
  {
    name: "Arabic",
    font: "dejavu",
    rtl: true,
    pieces: [
      ["مرح", false],
      ["با", true],
      ["بكم", true],
      ["في", true],
      ["المد", false],
      ["ينة", false],
    ],
    expected: "مرحبا بكم في المدينة",
  },
  {
    name: "CJK",
    font: "kr",
    // Han and kana are written without spaces: pieces that touch make one run; a Latin word
    // set a space away from them is still its own word.
    pieces: [
      ["東京", false],
      ["都に", false],
      ["住む", true],
      ["Quire", true],
      ["の", false],
      ["利用者", false],
    ],
    expected: "東京都に住む Quire の利用者",
  },
];

const H = 792;
/** Character spacing of the four drawings of each script, in em. */
const CHAR_SPACINGS = [0, 0, 0.05, -0.05] as const;
/** Character spacing (em) of the text drawn whole, letter-spaced. */
const LETTER_SPACINGS = [0.15, 0.3] as const;

/**
 * Draws the pieces from x (left to right, or right to left from x for RTL), one font or two
 * alternating, with `tc` em of character spacing after every glyph (a space glyph included).
 */
function drawPieces(page: PDFPage, fonts: readonly PDFFont[], script: Script, top: number, tc: number): void {
  const y = H - top - SIZE;
  let x = script.rtl ? 540 : 72;
  page.pushOperators(pushGraphicsState(), setCharacterSpacing(tc * SIZE));
  script.pieces.forEach(([text, spaceAfter], i) => {
    const font = fonts[i % fonts.length] as PDFFont;
    const width = font.widthOfTextAtSize(text, SIZE) + [...text].length * tc * SIZE;
    const gap = spaceAfter ? font.widthOfTextAtSize(" ", SIZE) + tc * SIZE : TOUCH_EM * SIZE;
    if (script.rtl) {
      x -= width;
      page.drawText(text, { x, y, size: SIZE, font });
      x -= gap;
    } else {
      page.drawText(text, { x, y, size: SIZE, font });
      x += width + gap;
    }
  });
  page.pushOperators(popGraphicsState());
}

async function makePdf(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  // Not skipped when missing: a machine without the font fails here, saying what to install.
  if (!existsSync(DEJAVU)) throw new Error(`the Arabic case draws with DejaVu Sans (${DEJAVU}): apt-get install fonts-dejavu-core`);
  const bytes = { kr: readFileSync(NOTO_KR), dejavu: readFileSync(DEJAVU) };
  // Two embeddings of each font: pdf.js starts a new text item when the font changes.
  const fonts = {
    kr: [await pdf.embedFont(bytes.kr, { subset: true }), await pdf.embedFont(bytes.kr, { subset: true })],
    dejavu: [await pdf.embedFont(bytes.dejavu, { subset: true }), await pdf.embedFont(bytes.dejavu, { subset: true })],
  };
  // A page per script, so that reading order across scripts does not come into it.
  for (const script of SCRIPTS) {
    const page = pdf.addPage([612, H]);
    const [one, two] = fonts[script.font] as [PDFFont, PDFFont];
    CHAR_SPACINGS.forEach((tc, k) => drawPieces(page, k % 2 === 0 ? [one] : [one, two], script, 100 + k * 40, tc));
    LETTER_SPACINGS.forEach((tc, k) => {
      const top = 100 + (CHAR_SPACINGS.length + k) * 40;
      const width = one.widthOfTextAtSize(script.expected, SIZE) + [...script.expected].length * tc * SIZE;
      page.pushOperators(pushGraphicsState(), setCharacterSpacing(tc * SIZE));
      page.drawText(script.expected, { x: script.rtl ? 540 - width : 72, y: H - top - SIZE, size: SIZE, font: one });
      page.pushOperators(popGraphicsState());
    });
  }
  return pdf.save();
}

describe.skipIf(!parserBuilt)("word spacing from geometry per script, through the real parse child", () => {
  let pages: string[][];
  let markdown: string;
  beforeAll(async () => {
    const extraction = await extractPdf(await makePdf());
    pages = extraction.pages.map((p) => p.blocks.map((b) => b.text));
    markdown = extraction.markdown;
  });

  it.each(SCRIPTS.map((s, i) => [s.name, i, s.expected] as const))(
    "%s: pieces that touch are one word, a space's gap is a word break, in one text item or many, spread or squeezed",
    (_name, i, expected) => {
      expect(pages[i]?.slice(0, CHAR_SPACINGS.length)).toEqual(CHAR_SPACINGS.map(() => expected));
    },
  );

  it.each(SCRIPTS.map((s, i) => [s.name, i, s.expected] as const))(
    "%s: letter-spaced text drawn whole keeps its letters together and its spaces",
    (_name, i, expected) => {
      expect(pages[i]?.slice(CHAR_SPACINGS.length)).toEqual(LETTER_SPACINGS.map(() => expected));
    },
  );

  it("writes the markdown with the same words and spaces, nothing else", () => {
    const drawings = CHAR_SPACINGS.length + LETTER_SPACINGS.length;
    expect(markdown.trim().split(/\n+/u)).toEqual(SCRIPTS.flatMap((s) => Array.from({ length: drawings }, () => s.expected)));
  });
});
