import { describe, expect, it } from "vitest";
import { decodePgm, encodePgm, rotateGray, rgbaToGray, type GrayImage } from "./pgm.js";
import { ocrLinesToItems, pageConfidence, type TessLine } from "./ocr-result.js";

const word = (text: string, x0: number, confidence = 90) => ({ text, confidence, bbox: { x0, y0: 100, x1: x0 + 50, y1: 130 } });
const line = (words: ReturnType<typeof word>[], extra: Partial<TessLine> = {}): TessLine => ({
  text: `${words.map((w) => w.text).join(" ")}\n`,
  confidence: 90,
  words,
  bbox: { x0: words[0]?.bbox.x0 ?? 0, y0: 100, x1: words.at(-1)?.bbox.x1 ?? 0, y1: 130 },
  rowAttributes: { rowHeight: 25 },
  ...extra,
});

describe("ocrLinesToItems", () => {
  it("makes one item per line in points, with the line's confidence 0..1", () => {
    const blocks = [{ paragraphs: [{ is_ltr: true, lines: [line([word("Hello", 300), word("world", 360, 80)])] }] }];
    const [item, ...rest] = ocrLinesToItems(blocks, 72 / 300); // a 300 dpi image
    expect(rest).toHaveLength(0);
    expect(item).toMatchObject({ text: "Hello world", x: 72, y: 24, width: 26.4, height: 7.2, dir: "ltr", hasEol: true });
    expect(item?.fontSize).toBeCloseTo(25 * 1.1 * 0.24, 1);
    expect(item?.confidence).toBeCloseTo(0.85, 2);
  });

  it("drops empty lines and low-confidence speckle, keeps low-confidence words", () => {
    const blocks = [
      {
        paragraphs: [
          {
            lines: [
              line([word("~", 10, 20), word(";", 70, 5)]),
              line([word("   ", 10)]),
              line([word("blurry", 10, 30), word("|", 70, 10)]),
            ],
          },
        ],
      },
    ];
    expect(ocrLinesToItems(blocks, 1).map((i) => i.text)).toEqual(["blurry"]);
  });

  it("marks right-to-left paragraphs and survives missing parts", () => {
    expect(ocrLinesToItems([{ paragraphs: [{ is_ltr: 0, lines: [line([word("שלום", 0)])] }] }], 1)[0]?.dir).toBe("rtl");
    expect(ocrLinesToItems(null, 1)).toEqual([]);
    expect(ocrLinesToItems([{}], 1)).toEqual([]);
  });

  it("weights the page confidence by line length", () => {
    const blocks = [{ paragraphs: [{ lines: [line([word("aaaaaaaaa", 0, 90)]), line([word("b", 0, 10)])] }] }];
    expect(pageConfidence(ocrLinesToItems(blocks, 1))).toBeCloseTo(0.82, 2);
  });
});

describe("pgm", () => {
  const img: GrayImage = { width: 3, height: 2, data: Uint8Array.from([1, 2, 3, 4, 5, 6]) };

  it("round-trips through P5", () => {
    const back = decodePgm(encodePgm(img));
    expect(back).toMatchObject({ width: 3, height: 2 });
    expect([...back.data]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(() => decodePgm(Buffer.from("P6\n1 1\n255\nxxx"))).toThrow(/PGM/);
    expect(() => decodePgm(Buffer.from("P5\n10 10\n255\nxx"))).toThrow(/truncated/);
  });

  it("turns clockwise by quarter turns", () => {
    // 1 2 3      90°: 4 1    180°: 6 5 4    270°: 3 6
    // 4 5 6           5 2          3 2 1          2 5
    //                 6 3                         1 4
    expect([...rotateGray(img, 90).data]).toEqual([4, 1, 5, 2, 6, 3]);
    expect(rotateGray(img, 90)).toMatchObject({ width: 2, height: 3 });
    expect([...rotateGray(img, 180).data]).toEqual([6, 5, 4, 3, 2, 1]);
    expect([...rotateGray(img, 270).data]).toEqual([3, 6, 2, 5, 1, 4]);
    expect(rotateGray(img, 360)).toBe(img);
  });

  it("converts RGBA to grey luma", () => {
    const gray = rgbaToGray(Uint8Array.from([255, 255, 255, 255, 0, 0, 0, 255, 255, 0, 0, 255]), 3, 1);
    expect([...gray.data]).toEqual([255, 0, 76]);
  });
});
