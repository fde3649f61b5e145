import { describe, expect, it } from "vitest";
import { doc, hRule, item, page, paragraph, vRule, words } from "../../test/page-builder.js";
import { buildExtraction } from "../extraction.js";
import { groupLines } from "../lines/lines.js";
import { findTables } from "./tables.js";

const X = 72;
const extract = (p: ReturnType<typeof page>, tables: "markdown" | "html" = "markdown") =>
  buildExtraction(doc(p), { extractionId: "e", cachedParse: false, tables });
const texts = (rows: { text: string }[][]) => rows.map((r) => r.map((c) => c.text));

describe("ruled tables", () => {
  // A grid like a LaTeX table: columns at 100/200/300/400; a header row split in two by a
  // partial rule under "Scores", which spans the last two columns; "Model" spans both header rows.
  const grid = {
    rules: [
      hRule(100, 100, 400),
      hRule(115, 200, 400),
      hRule(130, 100, 400),
      hRule(145, 100, 400),
      hRule(160, 100, 400),
      vRule(100, 100, 160),
      vRule(200, 100, 160),
      vRule(300, 115, 160),
      vRule(400, 100, 160),
    ],
  };
  const items = [
    item("Model", 110, 110),
    item("Scores", 270, 102),
    item("simple", 210, 117),
    item("complex", 310, 117),
    item("OTSL", 110, 132),
    item("0.965", 210, 132),
    item("0.934", 310, 132),
    item("HTML", 110, 147),
    item("0.969", 210, 147),
    item("0.927", 310, 147),
  ];

  it("reads cells from the grid the rules draw, with spans where a rule is missing", () => {
    const [table] = findTables(groupLines(items), page(items, { graphics: grid }).graphics);
    expect(table?.rows.map((r) => r.map((c) => [c.text, c.rowSpan, c.colSpan]))).toEqual([
      [
        ["Model", 2, 1],
        ["Scores", 1, 2],
      ],
      [
        ["simple", 1, 1],
        ["complex", 1, 1],
      ],
      [
        ["OTSL", 1, 1],
        ["0.965", 1, 1],
        ["0.934", 1, 1],
      ],
      [
        ["HTML", 1, 1],
        ["0.969", 1, 1],
        ["0.927", 1, 1],
      ],
    ]);
  });

  it("emits the table as a block, a structured table, and markdown that repeats spanning cells", () => {
    const e = extract(page([...paragraph([words("before", 80)], X, 60), ...items], { graphics: grid }));
    expect(e.pages[0]?.blocks.map((b) => b.type)).toEqual(["paragraph", "table"]);
    expect(e.tables).toHaveLength(1);
    expect(e.tables[0]).toMatchObject({ block_id: "p1-b2", page_number: 1, rows: expect.any(Array) });
    expect(e.markdown).toContain(
      "| Model | Scores | Scores |\n| --- | --- | --- |\n| Model | simple | complex |\n| OTSL | 0.965 | 0.934 |",
    );
  });

  it("renders spans as rowspan and colspan with tables: html", () => {
    const e = extract(page(items, { graphics: grid }), "html");
    expect(e.markdown).toContain('<tr><th rowspan="2">Model</th><th colspan="2">Scores</th></tr>');
  });

  it("does not take a frame around one block of text (a code listing's box) for a table", () => {
    const frame = { rules: [hRule(100, 100, 400), hRule(160, 100, 400), vRule(100, 100, 160), vRule(400, 100, 160)] };
    const code = [item("function add(a, b) {", 110, 110, { monospace: true }), item("return a + b;", 120, 125, { monospace: true })];
    expect(findTables(groupLines(code), page(code, { graphics: frame }).graphics)).toEqual([]);
  });
});

describe("tables from alignment", () => {
  const years = [2019, 2020, 2021, 2022].map((y, i) => [item(String(y), 160, 130 + i * 13), item(String(120 + 5 * i), 257, 130 + i * 13)]);
  // Left-aligned header over right-aligned numbers: still the same two columns.
  const sheet = [item("Year", 122, 117, { bold: true }), item("Freshwater Ducks", 186, 117, { bold: true }), ...years.flat()];

  it("finds columns that line up, even when headers and numbers align differently", () => {
    const [table] = findTables(groupLines(sheet), undefined);
    expect(texts(table?.rows ?? [])).toEqual([
      ["Year", "Freshwater Ducks"],
      ["2019", "120"],
      ["2020", "125"],
      ["2021", "130"],
      ["2022", "135"],
    ]);
  });

  it("leaves a title above the table out of it", () => {
    const titled = [item("Number of freshwater ducks per year", 122, 92, { bold: true }), ...sheet];
    const e = extract(page(titled));
    expect(e.markdown.split("\n\n")[0]).toBe("## Number of freshwater ducks per year");
    expect(e.tables[0]?.rows[0]?.map((c) => c.text)).toEqual(["Year", "Freshwater Ducks"]);
  });

  it("joins the wrapped lines of a description column into their row, and allows that one wordy column", () => {
    // Rows 30 pt apart; a description wraps onto a second line 12 pt below its first.
    const rows = [
      ["alpha", "The first entry explains itself", "in two lines of text"],
      ["bravo", "The second entry explains", "itself in two lines too"],
      ["charlie", "A third entry has one line", ""],
      ["delta", "And the fourth has", "a second line as well"],
    ];
    const items = rows.flatMap(([key = "", first = "", second = ""], r) => [
      item(key, X, 100 + r * 30),
      item(first, 200, 100 + r * 30),
      ...(second ? [item(second, 200, 112 + r * 30)] : []),
    ]);
    const [table] = findTables(groupLines(items), undefined);
    expect(texts(table?.rows ?? [])).toEqual([
      ["alpha", "The first entry explains itself in two lines of text"],
      ["bravo", "The second entry explains itself in two lines too"],
      ["charlie", "A third entry has one line"],
      ["delta", "And the fourth has a second line as well"],
    ]);
  });

  it("does not read two columns of prose, or a list with hanging indents, as a table", () => {
    const prose = [0, 1, 2, 3, 4, 5].flatMap((i) => [
      item(words(`l${i}`, 40), X, 100 + i * 12),
      item(words(`r${i}`, 40), 320, 100 + i * 12),
    ]);
    expect(findTables(groupLines(prose), undefined)).toEqual([]);
    const list = [1, 2, 3, 4].map((n) => [item(`${n}.`, X, 100 + n * 14), item(`Item number ${n} goes here`, X + 30, 100 + n * 14)]);
    expect(findTables(groupLines(list.flat()), undefined)).toEqual([]);
  });

  it("does not join unrelated blocks side by side whose baselines drift apart", () => {
    const left = [0, 1, 2, 3].map((i) => [item(`name${i}`, X, 100 + i * 13), item(`type${i}`, 150, 100 + i * 13)]).flat();
    const right = [0, 1, 2, 3].map((i) => [item(`key${i}`, 330, 101.8 + i * 13.4), item(`value${i}`, 420, 101.8 + i * 13.4)]).flat();
    const tables = findTables(groupLines([...left, ...right]), undefined);
    expect(tables.every((t) => t.colCount === 2)).toBe(true);
  });
});
