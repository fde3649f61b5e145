#!/usr/bin/env node
// Extraction quality on $QUIRE_CORPUS/docling-dev (default ../shared/corpus from the repo root):
// each PDF through Quire's real parse (the sandboxed pdf.js child) and extract, in-process,
// scored against docling's markdown (a silver standard) beside plain `pdftotext` in the same
// run. Metrics (bench/lib/quality-metrics.mjs): word F1, reading order (LCS / gold length),
// heading recall, table-cell recall. Needs `npx tsc -b` first (it loads dist/).
//   pnpm bench:quality [--json out.json] [--show name]   (--show prints Quire's markdown)
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { corpusDir } from "./lib/stack.mjs";
import {
  cellRecall,
  headingRecall,
  markdownHeadings,
  markdownTableCells,
  orderAgreement,
  stripPlaceholders,
  wordF1,
  words,
} from "./lib/quality-metrics.mjs";

const root = path.resolve(import.meta.dirname, "..");
const dir = path.join(corpusDir(), "docling-dev");
if (!existsSync(dir)) {
  console.error(`corpus not found at ${dir}: set QUIRE_CORPUS to the corpus folder (it holds docling-dev/). Nothing was scored.`);
  process.exit(0);
}
const arg = (name) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const { parsePdf } = await import(path.join(root, "services/parse/dist/pdf/pdf-parser.js"));
const { buildExtraction } = await import(path.join(root, "services/extract/dist/extraction.js"));
const hasPdftotext = (() => {
  try {
    execFileSync("pdftotext", ["-v"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

const manifest = await readManifest(path.join(dir, "MANIFEST.tsv"));
const pdfs = (await readdir(dir)).filter((f) => f.endsWith(".pdf")).sort();
const rows = [];
for (const file of pdfs) {
  const goldPath = path.join(dir, file.replace(/\.pdf$/u, ".md"));
  if (!existsSync(goldPath)) continue;
  const gold = await readFile(goldPath, "utf8");
  const bytes = new Uint8Array(await readFile(path.join(dir, file)));
  // A scanned page has no text layer: neither tool can read it without OCR, so its row is
  // shown but kept out of the means.
  const scanned = /scanned=yes/u.test(manifest.get(file) ?? "");
  const quire = await runQuire(bytes, file);
  if (arg("--show") && file.startsWith(arg("--show"))) console.error(quire.markdown);
  rows.push({ file, tool: "quire", scanned, ...score(quire.markdown, quire.cells, gold) });
  if (hasPdftotext) rows.push({ file, tool: "pdftotext", scanned, ...score(runPdftotext(path.join(dir, file)), [], gold) });
}
printTable(rows);
if (arg("--json")) await writeFile(arg("--json"), JSON.stringify(rows, null, 2));

async function runQuire(bytes, file) {
  try {
    const parsed = await parsePdf(bytes, {});
    const extraction = buildExtraction(parsed, { extractionId: "bench", cachedParse: false });
    return { markdown: extraction.markdown, cells: tableCells(extraction.tables ?? []) };
  } catch (err) {
    console.error(`${file}: quire failed: ${err.message}`);
    return { markdown: "", cells: [] };
  }
}

/** Structured cells with spans expanded, the way docling's markdown repeats a spanning cell. */
function tableCells(tables) {
  const cells = [];
  for (const table of tables) {
    for (const row of table.rows) {
      for (const cell of row) {
        const w = words(cell.text).join(" ");
        if (w !== "") for (let k = 0; k < (cell.row_span ?? 1) * (cell.col_span ?? 1); k++) cells.push(w);
      }
    }
  }
  return cells;
}

function runPdftotext(file) {
  return execFileSync("pdftotext", ["-enc", "UTF-8", file, "-"], { encoding: "utf8" });
}

function score(markdown, cells, gold) {
  const [p, g] = [words(stripPlaceholders(markdown)), words(stripPlaceholders(gold))];
  return {
    f1: wordF1(p, g).f1,
    order: orderAgreement(p, g),
    headings: headingRecall(markdownHeadings(markdown), markdownHeadings(gold)),
    cells: cellRecall(cells, markdownTableCells(gold)),
  };
}

function printTable(all) {
  const fmt = (v) => (v === undefined ? "–" : v.toFixed(3));
  console.log("| document | tool | word F1 | reading order | heading recall | table-cell recall |");
  console.log("| --- | --- | --- | --- | --- | --- |");
  for (const r of all) {
    const name = r.scanned ? `${r.file} (scanned, not in mean)` : r.file;
    console.log(`| ${name} | ${r.tool} | ${fmt(r.f1)} | ${fmt(r.order)} | ${fmt(r.headings)} | ${fmt(r.cells)} |`);
  }
  for (const tool of ["quire", "pdftotext"]) {
    const mine = all.filter((r) => r.tool === tool && !r.scanned);
    if (mine.length === 0) continue;
    const mean = (k) => {
      const vs = mine.map((r) => r[k]).filter((v) => v !== undefined);
      return vs.length ? vs.reduce((a, b) => a + b, 0) / vs.length : undefined;
    };
    console.log(
      `| **mean** (${mine.length} docs) | ${tool} | ${fmt(mean("f1"))} | ${fmt(mean("order"))} | ${fmt(mean("headings"))} | ${fmt(mean("cells"))} |`,
    );
  }
}

async function readManifest(file) {
  const notes = new Map();
  if (!existsSync(file)) return notes;
  for (const line of (await readFile(file, "utf8")).split("\n").slice(1)) {
    const cols = line.split("\t");
    if (cols[0]) notes.set(cols[0], cols[6] ?? "");
  }
  return notes;
}
