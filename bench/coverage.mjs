#!/usr/bin/env node
// No word lost: for every PDF of $QUIRE_CORPUS (pdfs/, docling-dev/, invoices-dev/; default
// ../shared/corpus from the repo root), the share of the words `pdftotext` finds on each page
// that Quire's extraction of that page holds (its blocks: body text, tables, and the header,
// footer, page-number and figure blocks), through the real parse (sandboxed pdf.js child) and
// extract, in-process. Words are compared as a bag per page, with the tokenizer of
// bench/lib/quality-metrics.mjs: NFKC, lower case, letter/digit runs for scripts written with
// spaces (Latin, Cyrillic, Greek, Arabic, Hebrew, Hangul), one token per character for Han and
// kana. A word broken by a line-end hyphen counts once, joined, on both sides.
// Also checked per document: the words of the body blocks all reach the markdown.
//   pnpm bench:coverage [--worst N] [--json out.json] [--show file.pdf:page]
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { corpusDir } from "./lib/stack.mjs";
import { words } from "./lib/quality-metrics.mjs";

const root = path.resolve(import.meta.dirname, "..");
const arg = (name) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const corpus = corpusDir();
const folders = ["pdfs", "docling-dev", "invoices-dev"].filter((f) => existsSync(path.join(corpus, f)));
if (folders.length === 0) {
  console.error(
    `corpus not found at ${corpus}: set QUIRE_CORPUS to the corpus folder (it holds pdfs/, docling-dev/, invoices-dev/). Nothing was measured.`,
  );
  process.exit(0);
}
try {
  execFileSync("pdftotext", ["-v"], { stdio: "ignore" });
} catch {
  console.error("pdftotext is not installed (apt-get install poppler-utils): it is the reference; nothing was measured.");
  process.exit(0);
}
const { parsePdf } = await import(path.join(root, "services/parse/dist/pdf/pdf-parser.js"));
const { buildExtraction } = await import(path.join(root, "services/extract/dist/extraction.js"));

const FURNITURE = new Set(["header", "footer", "page_number", "figure"]);
const dehyphenate = (text) => text.replace(/(\p{L})-\s*\n\s*(\p{L})/gu, "$1$2");
/**
 * pdftotext's word boxes hold right-to-left words in visual order (letters reversed, a lam-alef
 * ligature kept in its own order) where the extraction keeps logical order: an Arabic or Hebrew
 * token is compared by its letters, sorted, on both sides.
 */
const RTL = /[\p{Script=Arabic}\p{Script=Hebrew}]/u;
const canonical = (w) => (RTL.test(w) ? [...w].sort().join("") : w);
/**
 * A text layer whose font maps its glyphs to the wrong characters (no usable ToUnicode) reads
 * as letters of the wrong script, mixed inside one word ("ȋͳͻͺͷȌ" for "(1985)"). Such a page's
 * reference is no reference: it is reported, and kept out of the means (OCR is what reads it).
 */
const SCRIPTS = ["Latin", "Greek", "Cyrillic", "Arabic", "Hebrew", "Han", "Hangul", "Thai", "Devanagari"].map(
  (n) => new RegExp(`\\p{Script=${n}}`, "u"),
);
const suspicious = (w) =>
  SCRIPTS.filter((r) => r.test(w)).length > 1 ||
  (w.length === 1 && /[^\p{ASCII}\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u.test(w) && /\p{L}/u.test(w));
const garbled = (ref) => ref.length >= 10 && ref.filter(suspicious).length / ref.length >= 0.25;
const tokens = (text) => words(dehyphenate(text)).map(canonical);

const run = (cmd, args) => execFileSync(cmd, args, { encoding: "utf8", maxBuffer: 256 << 20, stdio: ["ignore", "pipe", "ignore"] });
const unescape = (t) =>
  t
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&amp;/g, "&");

/**
 * pdftotext's text of each page, keeping only the words inside the page's crop box (what a
 * viewer shows: printers' slugs and line numbers outside it are not on the page), lines and
 * blocks as pdftotext groups them. Pages with a /Rotate keep every word.
 */
function visibleText(file) {
  const boxes = new Map();
  for (const m of run("pdfinfo", ["-box", "-f", "1", "-l", "100000", file]).matchAll(/^Page\s+(\d+)\s+(MediaBox|CropBox|rot):\s+(.*)$/gm)) {
    const page = boxes.get(+m[1]) ?? {};
    page[m[2]] = m[3].trim().split(/\s+/).map(Number);
    boxes.set(+m[1], page);
  }
  const html = run("pdftotext", ["-enc", "UTF-8", "-bbox-layout", file, "-"]);
  return html
    .split("<page ")
    .slice(1)
    .map((pageHtml, i) => {
      const box = boxes.get(i + 1);
      const [mx0, , , my1] = box?.MediaBox ?? [0, 0, 0, 0];
      const [cx0, cy0, cx1, cy1] = box?.CropBox ?? [];
      const clip = box?.CropBox && (box.rot?.[0] ?? 0) % 360 === 0;
      const inside = (x0, y0, x1, y1) => {
        if (!clip) return true;
        const x = (x0 + x1) / 2 + mx0,
          y = my1 - (y0 + y1) / 2;
        return x >= cx0 - 1 && x <= cx1 + 1 && y >= cy0 - 1 && y <= cy1 + 1;
      };
      const blocks = pageHtml
        .split("<block ")
        .slice(1)
        .map((b) =>
          b
            .split("<line ")
            .slice(1)
            .map((line) =>
              [...line.matchAll(/<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">([^<]*)<\/word>/g)]
                .filter((w) => inside(+w[1], +w[2], +w[3], +w[4]))
                .map((w) => unescape(w[5]))
                .join(" "),
            )
            .filter(Boolean)
            .join("\n"),
        );
      return blocks.filter(Boolean).join("\n\n");
    });
}

/**
 * Share of `ref`'s tokens that `got` holds (as a bag): `recall` strictly, and `lenient`, where a
 * word the two cut differently is not counted lost: a missing reference token of three or more
 * characters with a letter, found inside the extraction's text with spaces removed (the
 * extraction split it, or joined it to a neighbour), or two reference neighbours the extraction
 * holds as one word. Which side is right there needs the page's geometry, so the strict figure
 * is the one that counts; `boundary` lists the cases.
 */
function recall(ref, got) {
  const have = new Map();
  for (const w of got) have.set(w, (have.get(w) ?? 0) + 1);
  const take = (w) => {
    const n = have.get(w) ?? 0;
    if (n > 0) have.set(w, n - 1);
    return n > 0;
  };
  const missing = ref.filter((w) => !take(w));
  const joined = got.join("");
  const lost = new Map();
  for (const w of missing) lost.set(w, (lost.get(w) ?? 0) + 1);
  const boundary = [];
  for (let i = 0; i + 1 < ref.length; i++) {
    const [a, b] = [ref[i], ref[i + 1]];
    if (lost.get(a) && lost.get(b) && take(a + b)) {
      lost.set(a, lost.get(a) - 1);
      lost.set(b, lost.get(b) - 1);
      boundary.push(`${a}|${b}`);
    }
  }
  for (const [w, n] of lost)
    if (n > 0 && w.length >= 3 && /\p{L}/u.test(w) && joined.includes(w)) {
      lost.set(w, 0);
      boundary.push(...Array(n).fill(w));
    }
  const lenientMissing = [...lost.values()].reduce((s, n) => s + n, 0);
  const share = (n) => (ref.length ? (ref.length - n) / ref.length : 1);
  return { recall: share(missing.length), lenient: share(lenientMissing), missing, boundary };
}

const pages = [];
const unreadable = [];
const docs = [];
const started = Date.now();
for (const folder of folders) {
  for (const name of (await readdir(path.join(corpus, folder))).filter((f) => f.endsWith(".pdf")).sort()) {
    const file = path.join(corpus, folder, name);
    const label = `${folder}/${name}`;
    let reference;
    try {
      reference = visibleText(file);
    } catch {
      docs.push({ doc: label, pages: 0, words: 0, recall: null, note: "pdftotext cannot read it" });
      continue;
    }
    let extraction;
    try {
      const parsed = await parsePdf(new Uint8Array(await readFile(file)), {});
      extraction = buildExtraction(parsed, { extractionId: "coverage", cachedParse: false });
    } catch (err) {
      const ref = reference.flatMap((t) => tokens(t)).length;
      docs.push({
        doc: label,
        pages: 0,
        words: ref,
        recall: ref ? 0 : null,
        note: `quire failed: ${err.code ?? ""} ${err.message}`.slice(0, 160),
      });
      continue;
    }
    const cellsByPage = new Map();
    for (const t of extraction.tables ?? [])
      for (const row of t.rows) for (const c of row) cellsByPage.set(t.page_number, `${cellsByPage.get(t.page_number) ?? ""}\n${c.text}`);
    let refWords = 0,
      held = 0,
      lenientHeld = 0;
    for (const page of extraction.pages) {
      const ref = tokens(reference[page.page_number - 1] ?? "");
      if (ref.length === 0) continue;
      const text = page.blocks.map((b) => b.text).join("\n") + (cellsByPage.get(page.page_number) ?? "");
      const r = recall(ref, tokens(text));
      if (garbled(ref)) {
        unreadable.push({ doc: label, page: page.page_number, words: ref.length, recall: r.recall });
        continue;
      }
      refWords += ref.length;
      held += ref.length - r.missing.length;
      lenientHeld += ref.length * r.lenient;
      pages.push({
        doc: label,
        page: page.page_number,
        words: ref.length,
        recall: r.recall,
        lenient: r.lenient,
        ocr: page.ocr,
        missing: r.missing,
        boundary: r.boundary,
      });
      if (arg("--show") === `${name}:${page.page_number}`)
        console.error(`-- pdftotext\n${reference[page.page_number - 1]}\n-- quire\n${text}`);
    }
    // Body blocks → markdown: a word the extraction found must not vanish on the way out.
    const body = extraction.pages.flatMap((p) => p.blocks.filter((b) => !FURNITURE.has(b.type)).map((b) => b.text)).join("\n");
    const toMarkdown = recall(tokens(body), tokens(extraction.markdown));
    docs.push({
      doc: label,
      pages: extraction.pages.length,
      words: refWords,
      recall: refWords ? held / refWords : null,
      lenient: refWords ? lenientHeld / refWords : null,
      markdown: toMarkdown.recall,
      markdownMissing: toMarkdown.missing.slice(0, 8),
    });
  }
}

const pct = (x) => (x === null || x === undefined ? "–" : `${(100 * x).toFixed(2)} %`);
const scored = docs.filter((d) => d.recall !== null);
const mean = scored.reduce((s, d) => s + d.recall, 0) / (scored.length || 1);
const pageMean = pages.reduce((s, p) => s + p.recall, 0) / (pages.length || 1);
const allWords = pages.reduce((s, p) => s + p.words, 0);
const allHeld = pages.reduce((s, p) => s + p.words * p.recall, 0);
const worstDoc = scored.reduce((w, d) => (w && w.recall <= d.recall ? w : d), null);

console.log(
  `\nWord recall against pdftotext, ${scored.length} documents, ${pages.length} pages with text, ${allWords} words (${((Date.now() - started) / 1000).toFixed(1)} s)\n`,
);
console.log("| document | pages | words | recall | cut differently counted held | body → markdown |");
console.log("| --- | --- | --- | --- | --- | --- |");
for (const d of [...docs].sort((a, b) => (a.recall ?? 2) - (b.recall ?? 2)))
  console.log(
    `| ${d.doc} | ${d.pages} | ${d.words} | ${pct(d.recall)} | ${pct(d.lenient)} | ${d.note ?? pct(d.markdown)}${d.markdownMissing?.length ? ` (misses ${d.markdownMissing.join(" ")})` : ""} |`,
  );
const worstN = Number(arg("--worst") ?? 20);
console.log(`\nWorst ${worstN} pages:\n`);
console.log("| page | words | recall | some missing words | cut differently |");
console.log("| --- | --- | --- | --- | --- |");
for (const p of [...pages].sort((a, b) => a.recall - b.recall || b.words - a.words).slice(0, worstN))
  console.log(
    `| ${p.doc} p${p.page}${p.ocr ? " (OCR)" : ""} | ${p.words} | ${pct(p.recall)} | ${[...new Set(p.missing)].slice(0, 10).join(" ")} | ${[...new Set(p.boundary)].slice(0, 6).join(" ")} |`,
  );
if (unreadable.length) {
  const byDoc = Map.groupBy(unreadable, (p) => p.doc);
  console.log(
    `\nLeft out: ${unreadable.length} pages whose text layer maps glyphs to the wrong characters (pdftotext's words mix scripts), ${[...byDoc].map(([d, ps]) => `${d} (${ps.length} pages, Quire holds ${pct(ps.reduce((s, p) => s + p.words * p.recall, 0) / ps.reduce((s, p) => s + p.words, 0))} of those non-words)`).join("; ")}`,
  );
}
console.log(
  `\nmean per document ${pct(mean)} (target ≥ 99.5 %), worst document ${worstDoc?.doc} ${pct(worstDoc?.recall)} (target ≥ 98 %), mean per page ${pct(pageMean)}, all words ${pct(allHeld / (allWords || 1))}`,
);
if (arg("--json")) await writeFile(arg("--json"), JSON.stringify({ docs, pages }, null, 2));
