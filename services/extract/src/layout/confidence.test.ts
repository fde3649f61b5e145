import { describe, expect, it } from "vitest";
import { item } from "../../test/page-builder.js";
import { ocrConfidence } from "./confidence.js";
import { buildLine } from "../lines/lines.js";

describe("ocrConfidence", () => {
  it("weights OCR items' confidence by their characters", () => {
    const a = { ...item("aaaaaaaaa", 72, 100), confidence: 0.9 };
    const b = { ...item("b", 72, 120), confidence: 0.1 };
    expect(ocrConfidence([buildLine([a]), buildLine([b])])).toBeCloseTo(0.82, 3);
  });

  it("is undefined for text-layer lines (confidence 0)", () => {
    expect(ocrConfidence([buildLine([item("from the text layer", 72, 100)])])).toBeUndefined();
  });
});
