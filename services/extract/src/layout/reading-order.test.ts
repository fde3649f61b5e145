import { describe, expect, it } from "vitest";
import { item, paragraph, words } from "../../test/page-builder.js";
import { groupLines } from "../lines/lines.js";
import { findGutter, orderLines } from "./reading-order.js";

const LEFT_X = 72;
const RIGHT_X = 320;
const column = (tag: string, x: number, top: number, n: number) =>
  paragraph(
    Array.from({ length: n }, (_, i) => `${tag}${i + 1} ${words(tag, 38)}`),
    x,
    top,
  );

/** Flow texts, each flow's lines joined by " | ". */
const read = (items: ReturnType<typeof item>[]): string[] =>
  orderLines(groupLines(items)).map((flow) => flow.map((l) => l.text.split(" ")[0]).join(" | "));

describe("orderLines", () => {
  it("reads a two-column page column by column, with the full-width title first and footer last", () => {
    const items = [
      ...column("R", RIGHT_X, 150, 8), // deliberately listed before the left column
      item("A Title That Spans Both Columns Of The Page", 120, 80, { size: 20 }),
      ...column("L", LEFT_X, 150, 8),
      item(`Footer ${words("F", 90)}`, LEFT_X, 700),
    ];
    expect(read(items)).toEqual(["A", "L1 | L2 | L3 | L4 | L5 | L6 | L7 | L8", "R1 | R2 | R3 | R4 | R5 | R6 | R7 | R8", "Footer"]);
  });

  it("places a full-width block between column bands by its height on the page", () => {
    const items = [
      ...column("A", LEFT_X, 100, 4),
      ...column("B", RIGHT_X, 100, 4),
      item(`Wide ${words("W", 90)}`, LEFT_X, 200),
      ...column("C", LEFT_X, 240, 4),
      ...column("D", RIGHT_X, 240, 4),
    ];
    expect(read(items)).toEqual(["A1 | A2 | A3 | A4", "B1 | B2 | B3 | B4", "Wide", "C1 | C2 | C3 | C4", "D1 | D2 | D3 | D4"]);
  });

  it("keeps the short last line of a full-width caption with the caption", () => {
    const items = [
      item(`Figure ${words("cap", 90)}`, LEFT_X, 100),
      item("ends here.", LEFT_X, 112),
      ...column("L", LEFT_X, 140, 5),
      ...column("R", RIGHT_X, 140, 5),
    ];
    expect(read(items)[0]).toBe("Figure | ends");
  });

  it("reads a single-column page as one flow, top to bottom", () => {
    const items = paragraph(
      Array.from({ length: 10 }, (_, i) => `S${i + 1} ${words("s", 90)}`),
      LEFT_X,
      100,
    );
    expect(read(items.reverse())).toEqual(["S1 | S2 | S3 | S4 | S5 | S6 | S7 | S8 | S9 | S10"]);
  });

  it("does not take the gap between labels and values for a gutter", () => {
    const rows = ["Invoice", "Date", "Customer", "Total", "Due"].flatMap((label, i) => [
      item(`${label}:`, LEFT_X, 100 + i * 14),
      item(`value ${i + 1}`, 300, 100 + i * 14),
    ]);
    expect(findGutter(groupLines(rows))).toBeUndefined();
    expect(read(rows)).toEqual(["Invoice: | Date: | Customer: | Total: | Due:"]);
  });

  it("does not take long labels ending in a colon, beside long values, for two text boxes", () => {
    const rows = ["Customer reference no.:", "Delivery address line:"].flatMap((label, i) => [
      item(label, LEFT_X, 100 + i * 14),
      item(`a value of some length ${i + 1}`, 300, 100 + i * 14),
    ]);
    expect(read(rows)).toEqual(["Customer | Delivery"]);
  });

  it.each([
    ["close to", 24],
    ["set apart from", 50],
  ])("reads two short lists side by side one after the other, each item on its own line (bullets %s their text)", (_, gap) => {
    const list = (tag: string, x: number) =>
      ["one", "two", "three"].flatMap((w, i) => [
        item("\u2022", x, 100 + i * 24, { size: 20 }),
        item(`${tag} ${w}`, x + gap, 100 + i * 24, { size: 20 }),
      ]);
    expect(orderLines(groupLines([...list("Left", 60), ...list("Right", 500)])).map((f) => f.map((l) => l.text))).toEqual([
      ["\u2022 Left one", "\u2022 Left two", "\u2022 Left three"],
      ["\u2022 Right one", "\u2022 Right two", "\u2022 Right three"],
    ]);
  });

  it("splits three columns", () => {
    const narrow = (tag: string, x: number) =>
      paragraph(
        Array.from({ length: 6 }, (_, i) => `${tag}${i + 1} ${words(tag, 26)}`),
        x,
        100,
      );
    const items = [...narrow("C", 400), ...narrow("A", 50), ...narrow("B", 225)];
    expect(read(items)).toEqual(["A1 | A2 | A3 | A4 | A5 | A6", "B1 | B2 | B3 | B4 | B5 | B6", "C1 | C2 | C3 | C4 | C5 | C6"]);
  });
});
