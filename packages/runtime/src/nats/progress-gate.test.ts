import { describe, expect, it } from "vitest";
import { progressGate } from "./progress-gate.js";

describe("progressGate", () => {
  it("lets the first report through, then at most one per interval, and always the last", () => {
    let t = 1_000;
    const pass = progressGate(250, () => t);
    const seen: number[] = [];
    for (let page = 1; page <= 10; page++) {
      t += 100; // a page every 100 ms
      if (pass(page / 10)) seen.push(page);
    }
    expect(seen).toEqual([1, 4, 7, 10]);
  });

  it("lets every report through when the interval is 0", () => {
    const pass = progressGate(0, () => 5);
    expect([0.25, 0.5, 0.75, 1].map(pass)).toEqual([true, true, true, true]);
  });
});
