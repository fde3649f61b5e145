import { describe, expect, it } from "vitest";
import type { ItemJson } from "../pdf/page-types.js";
import { coveredShare, decideOcr, judgeTextLayer, suspiciousShare, textShare } from "./ocr-decision.js";

const item = (text: string, box: Partial<ItemJson> = {}): ItemJson => ({
  text,
  x: 72,
  y: 72,
  width: 400,
  height: 12,
  fontName: "F",
  fontSize: 12,
  hasEol: true,
  bold: false,
  italic: false,
  monospace: false,
  dir: "ltr",
  ...box,
});
/** A page of readable body text: 40 lines of 400×12 pt on a letter page (~40 % covered). */
const body = (line: string) => Array.from({ length: 40 }, (_, i) => item(line, { y: 60 + i * 16 }));
const W = 612;
const H = 792;

describe("judgeTextLayer", () => {
  it("calls an empty or whitespace-only layer none", () => {
    expect(judgeTextLayer([], W, H)).toBe("none");
    expect(judgeTextLayer([item("   "), item("\n")], W, H)).toBe("none");
  });

  it("accepts ordinary prose, camelCase code, URLs and e-mail addresses", () => {
    expect(judgeTextLayer(body("The quick brown fox jumps over the lazy dog again and again."), W, H)).toBe("good");
    expect(judgeTextLayer(body("ctx.strokeStyle and ctx.shadowOffsetX are set by JavaScript code here."), W, H)).toBe("good");
    expect(judgeTextLayer(body("See http://commons.wikimedia.org/wiki/File:Rembrandt_Peale.jpg or mail a@b.org now."), W, H)).toBe("good");
  });

  it("calls a misread Cyrillic OCR layer junk (Cyrillic letters read as Latin lookalikes)", () => {
    // "Справка о доходах: сведения о налоге, удержанном с работника, номер корректировки",
    // as an OCR engine set for Latin reads it.
    const junk = "CnpaBKa o goxogax:tCBeAeHVIs:tHanore, y.Q,ep>KaHHoM C pa6oTHVIKa.IVI HoMep KoppeKn1pOBKVI 3a ro.Q, HanorOBblH~areHT";
    expect(judgeTextLayer(body(junk), W, H)).toBe("junk");
    expect(suspiciousShare(junk)).toBeGreaterThan(0.3);
  });

  it("calls a layer of control characters junk (a broken font encoding)", () => {
    expect(judgeTextLayer(body("\u0002\u0004\u0008\u0011 \u0015\u0019 ab"), W, H)).toBe("junk");
  });

  it("calls a page with a few words sparse", () => {
    expect(judgeTextLayer([item("Scanned by ACME", { width: 90 })], W, H)).toBe("sparse");
  });
});

describe("coverage", () => {
  it("sums text boxes as a share of the page", () => {
    expect(textShare([item("a", { width: W, height: H / 4 })], W, H)).toBeCloseTo(0.25);
    expect(textShare([item(" ", { width: W, height: H })], W, H)).toBe(0);
  });

  it("counts overlapping images once and clips them to the page", () => {
    const full = { x: 0, y: 0, width: W, height: H };
    expect(coveredShare([full, full], W, H)).toBe(1);
    expect(
      coveredShare(
        [
          { x: 0, y: 0, width: W, height: H / 2 },
          { x: 0, y: 0, width: W, height: H / 2 },
        ],
        W,
        H,
      ),
    ).toBeCloseTo(0.5);
    expect(coveredShare([{ x: -100, y: -100, width: 10_000, height: 10_000 }], W, H)).toBe(1);
    expect(coveredShare([], W, H)).toBe(0);
  });
});

describe("decideOcr", () => {
  const noImages = async () => 0;
  const fullImage = async () => 1;

  it("follows never and always whatever the page holds", async () => {
    expect(await decideOcr("never", "none", fullImage)).toEqual({ ocr: false, reason: "ocr_never" });
    expect(await decideOcr("always", "good", noImages)).toEqual({ ocr: true, reason: "ocr_always" });
  });

  it("in auto mode OCRs pages without text, with junk text, or with a little text on a big image", async () => {
    expect(await decideOcr("auto", "none", noImages)).toEqual({ ocr: true, reason: "no_text_layer" });
    expect(await decideOcr("auto", "junk", noImages)).toEqual({ ocr: true, reason: "junk_text_layer" });
    expect(await decideOcr("auto", "sparse", fullImage)).toEqual({ ocr: true, reason: "sparse_text_on_image" });
  });

  it("keeps a good text layer, and a sparse one on a page that is not mostly image", async () => {
    let asked = 0;
    const counting = async () => (asked++, 0.2);
    expect(await decideOcr("auto", "good", counting)).toEqual({ ocr: false, reason: "text_layer" });
    expect(asked).toBe(0); // image coverage (an operator-list walk) is only measured for sparse pages
    expect(await decideOcr("auto", "sparse", counting)).toEqual({ ocr: false, reason: "text_layer" });
    expect(asked).toBe(1);
  });
});
