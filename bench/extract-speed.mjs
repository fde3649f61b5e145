#!/usr/bin/env node
// Speed of the text path: every PDF in $QUIRE_CORPUS/pdfs through Quire's real parse (the
// sandboxed pdf.js child) and extract, in-process, no server. Prints pages/s for parse,
// extract and both. Files that fail to parse (encrypted, malformed) are skipped and counted.
//   node bench/extract-speed.mjs [--runs 3]
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { corpusDir } from "./lib/stack.mjs";

const root = path.resolve(import.meta.dirname, "..");
const dir = path.join(corpusDir(), "pdfs");
if (!existsSync(dir)) {
  console.error(`corpus not found at ${dir}: set QUIRE_CORPUS to the corpus folder (it holds pdfs/). Nothing was run.`);
  process.exit(0);
}
// Other builds (e.g. a copy of an older dist/) can be timed by pointing these at them.
const parseDist = path.resolve(root, process.env.BENCH_PARSE_DIST ?? "services/parse/dist");
const extractDist = path.resolve(root, process.env.BENCH_EXTRACT_DIST ?? "services/extract/dist");
// parse's PDF modules sit in dist/pdf/; an older dist/ had them at its top.
const parseModule = (file) =>
  [path.join(parseDist, "pdf", file), path.join(parseDist, file)].find((p) => existsSync(p)) ?? path.join(parseDist, "pdf", file);
const { parsePdf } = await import(parseModule("pdf-parser.js"));
const { buildExtraction } = await import(path.join(extractDist, "extraction.js"));
const runs = Number(process.argv[process.argv.indexOf("--runs") + 1]) || 1;

const files = (await readdir(dir)).filter((f) => f.endsWith(".pdf")).sort();
const results = [];
for (let r = 0; r < runs; r++) results.push(await runOnce());
results.sort((a, b) => a.total - b.total);
const best = results[0];
console.log(`| runs | pages | skipped files | parse s | extract s | parse pages/s | extract pages/s | parse+extract pages/s |`);
console.log(`| --- | --- | --- | --- | --- | --- | --- | --- |`);
console.log(
  `| best of ${runs} | ${best.pages} | ${best.skipped} | ${(best.parseMs / 1000).toFixed(2)} | ${(best.extractMs / 1000).toFixed(2)} | ${rate(best.pages, best.parseMs)} | ${rate(best.pages, best.extractMs)} | ${rate(best.pages, best.total)} |`,
);

function rate(pages, ms) {
  return (pages / (ms / 1000)).toFixed(1);
}

async function runOnce() {
  const out = { pages: 0, skipped: 0, parseMs: 0, extractMs: 0, total: 0 };
  for (const file of files) {
    const bytes = new Uint8Array(await readFile(path.join(dir, file)));
    const t0 = performance.now();
    let parsed;
    try {
      parsed = await parsePdf(bytes, { childScript: parseModule("pdf-child.js") });
    } catch {
      out.skipped++;
      continue;
    }
    const t1 = performance.now();
    buildExtraction(parsed, { extractionId: "bench", cachedParse: false });
    const t2 = performance.now();
    out.pages += parsed.pages.length;
    out.parseMs += t1 - t0;
    out.extractMs += t2 - t1;
  }
  out.total = out.parseMs + out.extractMs;
  return out;
}
