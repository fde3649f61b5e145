#!/usr/bin/env node
// `pnpm bench:ocr`: Quire's OCR beside the tesseract CLI on the same pages, in one run.
//  Images with true transcriptions: phototest, eurotext, the two UNLV 300 dpi scans (UNLV is
//  scored order-insensitively: its reference is in zone order), plus the two rotated
//  phototests (orientation). Scanned PDFs: issue7229, issue12963, issue5747 (no ground truth:
//  Quire's text is scored against the CLI's with the same model).
//  Two models on both sides: "fast" = Debian's eng (the CLI's default), "best" = the best_int
//  eng of @tesseract.js-data (Quire's default). Quire uses QUIRE_OCR_TESSDATA_DIR's code path
//  to run Debian's fast model, so engine and model can be told apart.
//   node bench/ocr.mjs [--workers 2] [--passes 2] [--models fast,best]
import { existsSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import { availableParallelism, loadavg } from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { corpusDir } from "./lib/stack.mjs";
import { bestIntTessdata, cliPass, measure, pdfPages, quirePass } from "./lib/ocr-runs.mjs";
import { accuracy, charErrors } from "./lib/text-metrics.mjs";

const root = path.resolve(import.meta.dirname, "..");
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const workers = Number(arg("workers", availableParallelism()));
const passes = Number(arg("passes", 2));
const DEBIAN_TESSDATA = "/usr/share/tesseract-ocr/5/tessdata";
const models = arg("models", "fast,best")
  .split(",")
  .filter((m) => m !== "fast" || existsSync(`${DEBIAN_TESSDATA}/eng.traineddata`));

const corpus = corpusDir();
if (!existsSync(path.join(corpus, "images"))) {
  console.log(`OCR benchmark skipped: corpus not found at ${corpus} (set QUIRE_CORPUS to the folder holding images/ and pdfs/)`);
  process.exit(0);
}
const haveCli = !spawnSync("tesseract", ["--version"]).error && !spawnSync("pdftoppm", ["-v"]).error;
if (!haveCli) console.log("tesseract or pdftoppm is not installed (apt-get install tesseract-ocr poppler-utils): Quire only");
const dist = path.join(root, "services/parse/dist");
if (!existsSync(path.join(dist, "ocr/ocr-child.js"))) throw new Error("services/parse/dist is missing: run `pnpm build` first");
const parse = {
  ...(await import(path.join(dist, "ocr/image-document.js"))),
  ...(await import(path.join(dist, "pdf/pdf-parser.js"))),
};
const { createOcrPool } = await import(path.join(dist, "ocr/ocr-pool.js"));
const { loadConfig } = await import(path.join(dist, "config.js"));
const { packagedLanguageFile } = await import(path.join(dist, "ocr/ocr-languages.js"));

const img = (file, truth, ordered) => ({
  path: path.join(corpus, "images", file),
  name: file,
  truth: path.join(corpus, "images", truth),
  ordered,
});
const SETS = {
  images: [
    img("phototest.tif", "phototest.txt", true),
    img("eurotext.tif", "eurotext.txt", true),
    img("8071_093.3B.tif", "8071_093.3B.txt", false),
    img("8087_054.3B.tif", "8087_054.3B.txt", false),
  ],
  rotated: [img("phototest-rotated-180.png", "phototest.txt", true), img("phototest-rotated-L.png", "phototest.txt", true)],
  pdfs: ["issue7229.pdf", "issue12963.pdf", "issue5747.pdf"].map((f) => ({ path: path.join(corpus, "pdfs", f), name: f, pdf: true })),
};
if (haveCli) for (const d of SETS.pdfs) d.pages = pdfPages(d.path);
const pageCount = (set) => set.reduce((n, d) => n + (d.pdf ? (d.pages ?? 0) : 1), 0);

/** results[engine][model][set] = { seconds, all, peakMb, texts } */
const results = { quire: {}, cli: {} };
const loadAtStart = loadavg()[0];
const startup = {};
const recycled = {};
for (const model of models) {
  const tessdataDir = model === "fast" ? DEBIAN_TESSDATA : "";
  // The parse service's own defaults (recycling included), with this run's worker count and model.
  const defaults = loadConfig({ QUIRE_OCR_WORKERS: String(workers) }).ocr;
  const pool = createOcrPool({ ...defaults, tessdataDir });
  const t = performance.now();
  await pool.warm();
  startup[model] = (performance.now() - t) / 1000;
  const tessdata = haveCli && model === "best" ? await bestIntTessdata(packagedLanguageFile("eng")) : null;
  results.quire[model] = {};
  if (haveCli) results.cli[model] = {};
  for (const [name, set] of Object.entries(SETS)) {
    // Quire and CLI passes alternate, so a busy neighbour on the machine slows both alike.
    const sides = [
      ["quire", () => quirePass({ parse, pool, workers }, set)],
      ...(haveCli ? [["cli", () => cliPass({ workers, tessdata }, set)]] : []),
    ];
    const measured = await measure(name === "rotated" ? 1 : passes, sides);
    for (const [engine, r] of Object.entries(measured)) {
      results[engine][model][name] = r;
      console.error(`${engine} ${model} ${name}: ${r.all.map((s) => s.toFixed(2)).join(", ")} s`);
    }
  }
  recycled[model] = pool.stats().recycled;
  await pool.close();
  if (tessdata) await rm(tessdata, { recursive: true, force: true });
}

const columns = models
  .flatMap((m) => [
    ["cli", m],
    ["quire", m],
  ])
  .filter(([e, m]) => results[e][m]);
const head = (first) =>
  `| ${first} | ${columns.map(([e, m]) => `${e === "cli" ? "CLI" : "Quire"} ${m}`).join(" | ")} |\n|---|${columns.map(() => "---").join("|")}|`;
const pct = (v) => `${v.toFixed(1)} %`;

async function accuracyTable(setName) {
  const rows = [];
  const totals = columns.map(() => ({ errors: 0, chars: 0 }));
  for (const [i, doc] of SETS[setName].entries()) {
    const truth = await readFile(doc.truth, "utf8");
    const cells = columns.map(([e, m], c) => {
      const score = charErrors(results[e][m][setName].texts[i], truth, { ordered: doc.ordered });
      totals[c].errors += score.errors;
      totals[c].chars += score.chars;
      return pct(accuracy(score));
    });
    rows.push(`| ${doc.name}${doc.ordered ? "" : " (order-insensitive)"} | ${cells.join(" | ")} |`);
  }
  rows.push(`| **all ${SETS[setName].length}** | ${totals.map((t) => `**${pct(accuracy(t))}**`).join(" | ")} |`);
  return `${head("character accuracy (1 − CER)")}\n${rows.join("\n")}`;
}

function speedTable() {
  const rows = ["images", "pdfs"].map((set) => {
    const pages = pageCount(SETS[set]);
    const cells = columns.map(([e, m]) => {
      const r = results[e][m][set];
      return `${(pages / r.seconds).toFixed(2)} (${r.all.map((s) => (pages / s).toFixed(2)).join(", ")})`;
    });
    return `| ${set === "images" ? "4 corpus images" : `3 scanned PDFs, ${pages} pages`} | ${cells.join(" | ")} |`;
  });
  const cpuRows = ["images", "pdfs"].map((set) => {
    const pages = pageCount(SETS[set]);
    return `| ${set === "images" ? "images" : "scanned PDFs"}: pages per CPU-second | ${columns.map(([e, m]) => (pages / results[e][m][set].cpu).toFixed(2)).join(" | ")} |`;
  });
  const rss = columns.map(([e, m]) => `${Math.max(...Object.values(results[e][m]).map((r) => r.peakMb))} MiB`);
  return `${head(`pages/s, ${workers} at a time (median (each pass))`)}\n${rows.join("\n")}\n${cpuRows.join("\n")}\n| peak RSS, all processes | ${rss.join(" | ")} |`;
}

function ratios() {
  const lines = [];
  for (const set of ["images", "pdfs"]) {
    for (const [qm, cm] of [
      ["best", "fast"],
      ["fast", "fast"],
      ["best", "best"],
    ]) {
      const q = results.quire[qm]?.[set];
      const c = results.cli[cm]?.[set];
      if (q && c)
        lines.push(
          `- ${set}: Quire ${qm} ÷ CLI ${cm}: pages/s **${(c.seconds / q.seconds).toFixed(2)}×**, pages per CPU-second ${(c.cpu / q.cpu).toFixed(2)}×`,
        );
    }
  }
  return lines.join("\n");
}

/** Scanned PDFs have no ground truth: Quire's text per document, scored with the CLI's (same model) as reference. */
function agreement() {
  return models
    .filter((m) => results.cli[m])
    .map((m) => {
      const [q, c] = [results.quire[m].pdfs.texts, results.cli[m].pdfs.texts];
      let first = 0;
      const perDoc = SETS.pdfs.map((doc) => {
        const score = { errors: 0, chars: 0 };
        for (let i = first; i < first + doc.pages; i++) {
          const s = charErrors(q[i] ?? "", c[i] ?? "");
          score.errors += s.errors;
          score.chars += s.chars;
        }
        first += doc.pages;
        return `${doc.name} ${pct(accuracy(score))}`;
      });
      return `- scanned PDFs, ${m} model, Quire's text scored against the CLI's: ${perDoc.join(", ")}`;
    })
    .join("\n");
}

console.log(`\n### Accuracy on images with true transcriptions\n\n${await accuracyTable("images")}`);
console.log(`\n### Rotated pages (same reference as phototest)\n\n${await accuracyTable("rotated")}`);
console.log(`\n### Speed and memory\n\n${speedTable()}\n\n${ratios()}\n\n${agreement()}`);
console.log(
  `\nQuire pool start-up (${workers} workers, model loads): ${Object.entries(startup)
    .map(([m, s]) => `${m} ${s.toFixed(2)} s`)
    .join(", ")}; ` +
    `workers recycled during the run (service defaults): ${Object.entries(recycled)
      .map(([m, n]) => `${m} ${n}`)
      .join(", ")}; ${passes} timed passes after a warm-up, ` +
    `the sides taking turns; 1-minute load average ${loadAtStart.toFixed(2)} at the start, ${loadavg()[0].toFixed(2)} at the end (other work on the machine slows both sides).`,
);
