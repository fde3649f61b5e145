#!/usr/bin/env node
// Page splitting on bundles made from the real corpus ($QUIRE_CORPUS, default ../shared/corpus
// from the repo root): each bundle concatenates 3–5 documents of different kinds (page subsets
// of long ones, under 40 pages) with pdf-lib, goes through Quire's real parse and extract
// in-process, then through the split service's deterministic engine and, in the same run, the
// naive baseline (each page alone to its best BM25 section: no boundaries, no smoothing).
// Scores page-level accuracy: a page is right when it lands in its document's section, or is
// left unassigned when the bundle has no section for its kind. Needs `npx tsc -b` first.
//   pnpm bench:split [--verbose] [--json out.json]
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { PDFDocument } from "pdf-lib";
import { corpusDir } from "./lib/stack.mjs";

// The kinds of document the split benchmark bundles, each with the section a user would write
// for it. Written from what each kind of document is, before any of Quire's output was seen,
// and kept generic per kind (the kind's name in the corpus languages is part of what a user
// with a multilingual bundle would write; nothing is taken from a particular file).
const KINDS = {
  invoice: {
    name: "invoice",
    description:
      "Invoice (facture, factuur, Rechnung): a bill from a seller to a customer listing products or services with quantities, unit prices, subtotal, VAT or tax and the total amount due, with an invoice number, invoice date and payment terms.",
    partition_key: "invoice number",
  },
  paper: {
    name: "research paper",
    description:
      "Research paper: a scholarly article with authors, an abstract, an introduction, sections on method, implementation, evaluation and related work, figures, tables, citations and a list of references.",
  },
  judgment: {
    name: "court judgment",
    description:
      "Court judgment: a judge's written decision in a legal case: the court, the plaintiff and defendant, the appeal, the facts, the arguments, the law applied and the ruling.",
  },
  manual: {
    name: "user manual",
    description:
      "User manual (Handbuch, Benutzerhandbuch, manuel): instructions for installing, configuring and using a product or software, with a table of contents, numbered chapters, step-by-step procedures and an index.",
  },
  stories: {
    name: "children's stories",
    description:
      "Children's stories: short fairy tales and fables for children, each with a story title, characters such as animals, kings or children, and simple narrative prose.",
  },
  book: {
    name: "nonfiction book",
    description:
      "Nonfiction book: chapters of a long book arguing a thesis in continuous prose, with running heads carrying the book or chapter title, page numbers and notes.",
  },
  taxform: {
    name: "tax form",
    description:
      "Tax form: a government tax return or tax certificate with numbered lines and boxes to fill in income, deductions, credits, tax owed or refund, the taxpayer's name, address, identification number and signature.",
  },
  cheatsheet: {
    name: "reference card",
    description:
      "Reference card: a cheat sheet summarising a programming API or language in compact tables of methods, properties, attributes, syntax and short examples.",
  },
  timetable: {
    name: "event timetable",
    description:
      "Event timetable: a schedule of events listing days, dates, start times, stages or venues and the names of performers or sessions in a grid.",
  },
  article: {
    name: "article",
    description: "Article: an informative essay explaining a subject and its historical development, organised in sections under headings.",
  },
  spreadsheet: {
    name: "spreadsheet",
    description: "Spreadsheet printout: a table of numbers with a title, column headers and rows of values per year or category.",
  },
  bankstatement: {
    name: "bank statement",
    description:
      "Bank statement: an account statement from a bank listing the account holder, account number or IBAN, statement period, opening and closing balance, and dated transactions with debits, credits and a running balance.",
  },
  contract: {
    name: "contract",
    description:
      "Contract: an agreement between parties setting out definitions, terms and conditions, obligations, payment, term and termination, liability, governing law and signatures.",
  },
};

// Each bundle: documents in order (file under the corpus, pages to take, kind) and the kinds
// the user asks for. A kind not asked for makes its pages "should stay unassigned"; a kind
// asked for but absent should get no pages.
const BUNDLES = [
  {
    name: "invoice+paper+judgment",
    docs: [
      ["invoices-dev/AzureInterior.pdf", "all", "invoice"],
      ["pdfs/tracemonkey.pdf", "1-8", "paper"],
      ["pdfs/issue11913.pdf", "all", "judgment"],
      ["invoices-dev/SammyMaystoneLinesTest.pdf", "all", "invoice"],
    ],
    ask: ["invoice", "paper", "judgment", "bankstatement"],
  },
  {
    name: "taxform+stories+card+invoice",
    docs: [
      ["pdfs/prefilled_f1040.pdf", "all", "taxform"],
      ["pdfs/pdkids.pdf", "1-10", "stories"],
      ["pdfs/canvas.pdf", "all", "cheatsheet"],
      ["invoices-dev/coolblue1.pdf", "all", "invoice"],
    ],
    ask: ["taxform", "stories", "cheatsheet", "invoice", "contract"],
  },
  {
    name: "manual+invoice+book+timetable",
    docs: [
      ["pdfs/issue14847.pdf", "all", "manual"],
      ["invoices-dev/NetpresseInvoice.pdf", "all", "invoice"],
      ["pdfs/freeculture.pdf", "20-31", "book"],
      ["pdfs/issue840.pdf", "all", "timetable"],
    ],
    ask: ["manual", "invoice", "book", "timetable"],
  },
  {
    name: "paper+article+invoice+taxform",
    docs: [
      ["pdfs/TAMReview.pdf", "1-12", "paper"],
      ["docling-dev/multi_page.pdf", "all", "article"],
      ["invoices-dev/AzureInterior.pdf", "all", "invoice"],
      ["pdfs/160F-2019.pdf", "all", "taxform"],
    ],
    ask: ["paper", "article", "invoice", "taxform", "bankstatement"],
  },
  {
    name: "stories+paper+2 invoices+judgment",
    docs: [
      ["pdfs/pdkids.pdf", "20-27", "stories"],
      ["docling-dev/2305.03393v1-pg9.pdf", "all", "paper"],
      ["invoices-dev/SammyMaystoneLinesTest.pdf", "all", "invoice"],
      ["invoices-dev/coolblue1.pdf", "all", "invoice"],
      ["pdfs/issue11913.pdf", "all", "judgment"],
    ],
    ask: ["stories", "paper", "invoice", "judgment"],
  },
  {
    name: "book+sheet+card+timetable+form",
    docs: [
      ["pdfs/freeculture.pdf", "100-112", "book"],
      ["docling-dev/odf_table_with_title_01.ods.pdf", "all", "spreadsheet"],
      ["pdfs/canvas.pdf", "all", "cheatsheet"],
      ["pdfs/issue840.pdf", "all", "timetable"],
      ["pdfs/bug1669099.pdf", "all", "membership form (no section)"],
    ],
    ask: ["book", "spreadsheet", "cheatsheet", "timetable"],
  },
  {
    name: "paper+stories+taxform+invoice+article",
    docs: [
      ["pdfs/tracemonkey.pdf", "9-14", "paper"],
      ["pdfs/pdkids.pdf", "40-48", "stories"],
      ["pdfs/prefilled_f1040.pdf", "all", "taxform"],
      ["invoices-dev/NetpresseInvoice.pdf", "all", "invoice"],
      ["docling-dev/multi_page.pdf", "all", "article"],
    ],
    ask: ["paper", "stories", "taxform", "invoice", "article", "contract"],
  },
  {
    name: "japanese+invoice+judgment+manual+paper",
    docs: [
      ["pdfs/issue16538.pdf", "all", "japanese text (no section)"],
      ["invoices-dev/AzureInterior.pdf", "all", "invoice"],
      ["pdfs/issue11913.pdf", "all", "judgment"],
      ["pdfs/issue14847.pdf", "all", "manual"],
      ["pdfs/TAMReview.pdf", "13-23", "paper"],
    ],
    ask: ["invoice", "judgment", "manual", "paper"],
  },
];

const root = path.resolve(import.meta.dirname, "..");
const corpus = corpusDir();
const missing = [...new Set(BUNDLES.flatMap((b) => b.docs.map((d) => d[0])))].filter((f) => !existsSync(path.join(corpus, f)));
if (!existsSync(corpus) || missing.length > 0) {
  console.error(
    `corpus not found or incomplete at ${corpus} (missing: ${missing.slice(0, 3).join(", ") || "the folder"}): set QUIRE_CORPUS to the corpus folder (it holds pdfs/, docling-dev/, invoices-dev/). Nothing was scored.`,
  );
  process.exit(0);
}
const arg = (name) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const verbose = process.argv.includes("--verbose");
const { parsePdf } = await import(path.join(root, "services/parse/dist/pdf/pdf-parser.js"));
const { buildExtraction } = await import(path.join(root, "services/extract/dist/extraction.js"));
const { splitDeterministic, splitPageByPage } = await import(path.join(root, "services/split/dist/engine/index.js"));

const rows = [];
for (const bundle of BUNDLES) {
  const { bytes, truth, docs } = await buildBundle(bundle);
  const extraction = buildExtraction(await parsePdf(bytes, {}), { extractionId: "bench", cachedParse: false });
  const sections = bundle.ask.map((k) => KINDS[k]);
  const req = { sections };
  const t0 = performance.now();
  const engine = splitDeterministic(extraction, req);
  const ms = performance.now() - t0;
  const baseline = splitPageByPage(extraction, req);
  const row = {
    bundle: bundle.name,
    pages: truth.length,
    docs: docs.length,
    ms,
    engine: accuracy(engine, truth),
    baseline: accuracy(baseline, truth),
  };
  const invoices = engine.splits.find((s) => s.name === KINDS.invoice.name);
  if (invoices?.partitions) row.partitions = invoices.partitions.map((p) => `${p.key || '""'}:${p.page_ranges}`).join(" ");
  rows.push(row);
  if (verbose) {
    console.error(`\n## ${bundle.name}\n  truth: ${docs.map((d) => `${d.kind} ${d.from}-${d.to}`).join(" | ")}`);
    for (const s of engine.splits)
      console.error(
        `  ${s.name}: ${s.page_ranges || "-"} (conf ${s.confidence}) ${s.reason}${s.partitions ? ` partitions ${JSON.stringify(s.partitions.map((p) => [p.key, p.page_ranges]))}` : ""}`,
      );
    console.error(`  unassigned: ${engine.unassigned_pages.join(",") || "-"}`);
    for (const w of row.engine.wrong) console.error(`  wrong: page ${w.page} is ${w.want ?? "(none)"} got ${w.got ?? "(none)"}`);
  }
}
printTable(rows);
if (arg("--json")) await writeFile(arg("--json"), JSON.stringify(rows, null, 2));

/** Concatenates the bundle's documents; truth[i] is the section name page i+1 should get (null: none). */
async function buildBundle(bundle) {
  const out = await PDFDocument.create();
  const truth = [];
  const docs = [];
  for (const [file, pages, kind] of bundle.docs) {
    const src = await PDFDocument.load(await readFile(path.join(corpus, file)));
    const n = src.getPageCount();
    const [a, b] = pages === "all" ? [1, n] : pages.split("-").map(Number);
    const idx = [];
    for (let p = a; p <= Math.min(b, n); p++) idx.push(p - 1);
    const from = truth.length + 1;
    for (const page of await out.copyPages(src, idx)) out.addPage(page);
    const want = bundle.ask.includes(kind) ? KINDS[kind].name : null;
    for (const _ of idx) truth.push(want);
    docs.push({ file, kind, from, to: truth.length });
  }
  return { bytes: await out.save(), truth, docs };
}

function accuracy(outcome, truth) {
  const got = new Map();
  for (const s of outcome.splits) for (const p of s.pages) got.set(p, s.name);
  const wrong = [];
  truth.forEach((want, i) => {
    const g = got.get(i + 1) ?? null;
    if (g !== want) wrong.push({ page: i + 1, want, got: g });
  });
  return { right: truth.length - wrong.length, total: truth.length, wrong };
}

function printTable(all) {
  const pct = (a) => `${((100 * a.right) / a.total).toFixed(1)} % (${a.right}/${a.total})`;
  console.log("| bundle | pages | documents | engine | baseline | engine ms |");
  console.log("| --- | --- | --- | --- | --- | --- |");
  for (const r of all) console.log(`| ${r.bundle} | ${r.pages} | ${r.docs} | ${pct(r.engine)} | ${pct(r.baseline)} | ${r.ms.toFixed(1)} |`);
  const sum = (k) => all.reduce((acc, r) => ({ right: acc.right + r[k].right, total: acc.total + r[k].total }), { right: 0, total: 0 });
  console.log(
    `| **overall** | ${sum("engine").total} | ${all.reduce((a, r) => a + r.docs, 0)} | **${pct(sum("engine"))}** | ${pct(sum("baseline"))} | |`,
  );
  const parts = all.filter((r) => r.partitions);
  if (parts.length) {
    console.log("\ninvoice partitions (key:pages):");
    for (const r of parts) console.log(`  ${r.bundle}: ${r.partitions}`);
  }
}
