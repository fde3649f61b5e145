import { PDFDocument, rgb } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { collectGraphics, type OpCodes } from "./page-graphics.js";
import { classifyPath } from "./path-shapes.js";
import { parsePdf } from "./pdf-parser.js";

// The codes pdf.js 6 uses (its OPS table); the walker only needs them to be distinct.
const OPS: OpCodes = {
  save: 10,
  restore: 11,
  transform: 12,
  setLineWidth: 2,
  setGState: 9,
  stroke: 20,
  fill: 22,
  endPath: 28,
  fillStroke: 24,
  setStrokeRGBColor: 58,
  setFillRGBColor: 59,
  paintFormXObjectBegin: 74,
  paintFormXObjectEnd: 75,
  constructPath: 91,
};
// A 200-pt-high page: the viewport flips y so the origin is the top-left.
const VIEWPORT = [1, 0, 0, -1, 0, 200];
const M = 0,
  L = 1,
  C = 2,
  Z = 4;
const rect = (x: number, y: number, w: number, h: number): number[] => [M, x, y, L, x + w, y, L, x + w, y + h, L, x, y + h, Z];
const path = (paint: number, data: number[]) => [paint, [new Float32Array(data)], null];

describe("classifyPath", () => {
  const paint = { fill: true, stroke: false, visibleFill: true, lineWidth: 1 };

  it("turns a thin filled rectangle into a rule through its middle", () => {
    const out = classifyPath(rect(10, 50, 100, 0.4), [1, 0, 0, 1, 0, 0], paint);
    expect(out.rules).toEqual([{ x0: 10, y0: 50.2, x1: 110, y1: 50.2, width: 0.4 }]);
    expect(out.fills).toEqual([]);
  });

  it("keeps a larger filled rectangle as a fill, and a curved fill as a shape", () => {
    expect(classifyPath(rect(0, 0, 50, 20), [1, 0, 0, 1, 0, 0], paint).fills).toEqual([{ x: 0, y: 0, width: 50, height: 20 }]);
    const blob = classifyPath([M, 0, 0, C, 10, 0, 20, 10, 20, 20, Z], [1, 0, 0, 1, 0, 0], paint);
    expect(blob.shapes).toEqual([{ x: 0, y: 0, width: 20, height: 20 }]);
  });

  it("splits a stroked rectangle into its four edges", () => {
    const out = classifyPath(rect(0, 0, 40, 10), [1, 0, 0, 1, 0, 0], { ...paint, fill: false, stroke: true });
    expect(out.rules).toHaveLength(4);
    expect(out.shapes).toEqual([]);
  });
});

describe("collectGraphics", () => {
  it("maps stroked lines through the CTM and the viewport to top-left page points", () => {
    const graphics = collectGraphics(
      {
        fnArray: [OPS.save, OPS.transform, OPS.setLineWidth, OPS.constructPath, OPS.restore],
        argsArray: [[], [2, 0, 0, 2, 10, 0], [0.5], path(OPS.stroke!, [M, 0, 10, L, 50, 10]), []],
      },
      VIEWPORT,
      OPS,
    );
    // (0,10)→(10,20) in user space, 180 pt from the top once flipped; the width scales with the CTM.
    expect(graphics.rules).toEqual([{ x0: 10, y0: 180, x1: 110, y1: 180, width: 1 }]);
  });

  it("leaves out white fills, clip-only paths and strokes in white", () => {
    const graphics = collectGraphics(
      {
        fnArray: [OPS.setFillRGBColor, OPS.constructPath, OPS.constructPath, OPS.setStrokeRGBColor, OPS.constructPath],
        argsArray: [
          ["#ffffff"],
          path(OPS.fill!, rect(0, 0, 100, 100)),
          path(OPS.endPath!, rect(0, 0, 5, 5)),
          ["#FFFFFF"],
          path(OPS.stroke!, [M, 0, 0, L, 50, 0]),
        ],
      },
      VIEWPORT,
      OPS,
    );
    expect(graphics).toMatchObject({ rules: [], fills: [], shapes: [] });
  });

  it("finds where a removed image was painted: a transform straight followed by restore", () => {
    const graphics = collectGraphics(
      { fnArray: [OPS.save, OPS.transform, OPS.restore], argsArray: [[], [120, 0, 0, 80, 30, 40], []] },
      VIEWPORT,
      OPS,
    );
    expect(graphics.images).toEqual([{ x: 30, y: 80, width: 120, height: 80 }]);
  });

  it("applies a form XObject's matrix until the form ends", () => {
    const graphics = collectGraphics(
      {
        fnArray: [OPS.paintFormXObjectBegin, OPS.constructPath, OPS.paintFormXObjectEnd, OPS.constructPath],
        argsArray: [
          [
            [1, 0, 0, 1, 100, 0],
            [0, 0, 10, 10],
          ],
          path(OPS.fill!, rect(0, 100, 50, 1)),
          [],
          path(OPS.fill!, rect(0, 100, 50, 1)),
        ],
      },
      VIEWPORT,
      OPS,
    );
    expect(graphics.rules.map((r) => r.x0)).toEqual([100, 0]);
  });
});

describe("parsePdf graphics (through the pdf.js child)", () => {
  it("reports a drawn table grid as rules and a shaded cell as a fill", async () => {
    const pdf = await PDFDocument.create();
    const page = pdf.addPage([300, 200]);
    for (const y of [20, 40, 60]) page.drawLine({ start: { x: 20, y }, end: { x: 220, y }, thickness: 0.5 });
    for (const x of [20, 120, 220]) page.drawLine({ start: { x, y: 20 }, end: { x, y: 60 }, thickness: 0.5 });
    page.drawRectangle({ x: 20, y: 100, width: 100, height: 30, color: rgb(0.9, 0.9, 0.9) });
    const [parsed] = (await parsePdf(await pdf.save())).pages;
    const rules = parsed?.graphics?.rules ?? [];
    expect(
      rules
        .filter((r) => r.y0 === r.y1)
        .map((r) => r.y0)
        .sort((a, b) => a - b),
    ).toEqual([140, 160, 180]);
    expect(rules.filter((r) => r.x0 === r.x1)).toHaveLength(3);
    expect(parsed?.graphics?.fills).toEqual([expect.objectContaining({ x: 20, y: 70, width: 100, height: 30 })]);
  });
});
