import { describe, expect, it } from "vitest";
import { shrinkArrivingImages, shrinkDecodedImage, shrinkFactor, type DecodedImage } from "./image-downscale.js";

/** A w × h image mask (1 bit a pixel, rows byte-padded, 0 = painted) with `painted(x, y)` set. */
function mask(w: number, h: number, painted: (x: number, y: number) => boolean): DecodedImage {
  const rowBytes = (w + 7) >> 3;
  const data = new Uint8Array(rowBytes * h).fill(0xff);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (painted(x, y)) data[y * rowBytes + (x >> 3)]! &= ~(0x80 >> (x & 7));
  return { width: w, height: h, data };
}
const isPainted = (img: DecodedImage, x: number, y: number) =>
  ((img.data![y * ((img.width + 7) >> 3) + (x >> 3)]! >> (7 - (x & 7))) & 1) === 0;

describe("shrinking decoded images for the OCR render", () => {
  it("shrinks only images with at least 4× the cap, by a whole factor that keeps at least the cap", () => {
    expect(shrinkFactor(3.9e6, 1e6)).toBe(1);
    expect(shrinkFactor(4e6, 1e6)).toBe(2);
    expect(shrinkFactor(113.5e6, 4.09e6)).toBe(5);
    const small = mask(100, 100, () => true);
    const before = small.data;
    expect(shrinkDecodedImage(small, 2_600)).toBe(1);
    expect(small).toMatchObject({ width: 100, height: 100 });
    expect(small.data).toBe(before);
  });

  it("keeps a mask a mask: blocks mostly painted stay painted, edges of odd sizes included", () => {
    // Left 40 % painted, plus one thin painted row (1 of each 4 rows of its block: under a third).
    const img = mask(101, 50, (x, y) => x < 40 || y === 21);
    expect(shrinkDecodedImage(img, 300)).toBe(4);
    expect(img).toMatchObject({ width: 26, height: 13 });
    expect(img.kind).toBeUndefined();
    expect(isPainted(img, 0, 0)).toBe(true);
    expect(isPainted(img, 9, 12)).toBe(true); // x 36–39 all painted
    expect(isPainted(img, 10, 0)).toBe(false); // x 40–43 unpainted
    expect(isPainted(img, 20, 5)).toBe(false); // rows 20–23: one painted row of four
    expect(isPainted(img, 25, 12)).toBe(false); // the partial corner block (x 100, y 48–49)
  });

  it("with a bitmap factory, turns a mask into black whose alpha is each block's painted share", () => {
    const img = mask(80, 80, (x, y) => x < 40 || (y % 4 === 0 && x >= 40));
    let made: { width: number; height: number; rgba: Uint8ClampedArray } | undefined;
    const factor = shrinkDecodedImage(img, 400, (width, height, rgba) => (made = { width, height, rgba }));
    expect(factor).toBe(4);
    expect(img.data).toBeNull();
    expect(img.bitmap).toBe(made);
    expect(made).toMatchObject({ width: 20, height: 20 });
    const alpha = (x: number, y: number) => made!.rgba[(y * 20 + x) * 4 + 3];
    expect(alpha(0, 0)).toBe(255);
    expect(alpha(15, 7)).toBe(64); // one painted row in four
    expect(made!.rgba[0]).toBe(0); // black
  });

  it("averages RGB and RGBA per channel, and 1-bit grey into 8-bit grey", () => {
    const [w, h] = [8, 4];
    const rgb = new Uint8ClampedArray(w * h * 3);
    for (let i = 0; i < w * h; i++) rgb.set(i % 2 ? [200, 100, 0] : [0, 100, 200], i * 3); // alternating columns
    const colour: DecodedImage = { width: w, height: h, kind: 2, data: rgb };
    expect(shrinkDecodedImage(colour, 8)).toBe(2);
    expect(colour).toMatchObject({ width: 4, height: 2, kind: 2 });
    expect([...colour.data!.subarray(0, 3)]).toEqual([100, 100, 100]);

    const rgba: DecodedImage = { width: 4, height: 4, kind: 3, data: new Uint8ClampedArray(64).fill(255) };
    rgba.data![3] = 0; // one transparent pixel in the first 2 × 2 block
    expect(shrinkDecodedImage(rgba, 4)).toBe(2);
    expect([...rgba.data!.subarray(0, 4)]).toEqual([255, 255, 255, 191]);

    const grey = mask(16, 16, (x) => x % 2 === 0); // DeviceGray 1 bpc: 0 = black, as a mask's 0 = painted
    grey.kind = 1;
    expect(shrinkDecodedImage(grey, 16)).toBe(4);
    expect(grey).toMatchObject({ width: 4, height: 4, kind: 2 });
    expect([...grey.data!.subarray(0, 3)]).toEqual([127, 127, 127]);
  });

  it("leaves what it does not know as it is: bitmaps, short data, unknown kinds", () => {
    expect(shrinkDecodedImage({ width: 100, height: 100, data: null, bitmap: {} }, 10)).toBe(1);
    expect(shrinkDecodedImage({ width: 100, height: 100, data: new Uint8Array(10) }, 10)).toBe(1);
    expect(shrinkDecodedImage({ width: 100, height: 100, kind: 9, data: new Uint8Array(40_000) }, 10)).toBe(1);
  });

  it("hooks an object store's resolve while rendering and restores it after", () => {
    const resolved = new Map<string, unknown>();
    class Store {
      resolve(id: string, data?: unknown): void {
        resolved.set(id, data);
      }
    }
    const store = new Store();
    const shrunk: number[] = [];
    const unhook = shrinkArrivingImages(store, 400, undefined, (_from, f) => shrunk.push(f));
    store.resolve(
      "img",
      mask(40, 40, () => true),
    );
    store.resolve("pattern", ["Mesh"]);
    unhook();
    store.resolve(
      "later",
      mask(40, 40, () => true),
    );
    expect(resolved.get("img")).toMatchObject({ width: 20, height: 20 });
    expect(resolved.get("pattern")).toEqual(["Mesh"]);
    expect(resolved.get("later")).toMatchObject({ width: 40, height: 40 });
    expect(shrunk).toEqual([2]);
    expect(Object.prototype.hasOwnProperty.call(store, "resolve")).toBe(false);
  });
});
