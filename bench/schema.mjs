#!/usr/bin/env node
// `pnpm bench:schema`: the deterministic schema engine on $QUIRE_CORPUS/invoices-dev (default
// ../shared/corpus from the repo root). Each invoice (PDF through Quire's real parse + extract,
// in-process; PNG scans through the parse service's OCR pool) is asked for a schema built from
// the keys of invoice2data's expected `.json`, leaving out template constants (issuer, desc,
// static_*) and every key whose value the document does not hold (a currency code the page never
// prints, say). Types come from the expected values: number for numbers, string + format date
// for ISO dates, string otherwise; line items become an array of objects.
// Scores: field accuracy (strings equal after whitespace normalization, numbers equal to the
// cent, dates equal as ISO), line items matched to expected items by best agreement; and the
// share of filled values whose citation text really holds the value (in some written form).
//   pnpm bench:schema [--verbose] [--json out.json] [--no-ocr]
// Needs `npx tsc -b` first (it loads dist/).
import { existsSync } from "node:fs";
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { corpusDir } from "./lib/stack.mjs";

const root = path.resolve(import.meta.dirname, "..");
const dir = path.join(corpusDir(), "invoices-dev");
if (!existsSync(dir)) {
  console.log(
    `schema benchmark skipped: corpus not found at ${dir} (set QUIRE_CORPUS to the folder holding invoices-dev/). Nothing was scored.`,
  );
  process.exit(0);
}
const flag = (name) => process.argv.includes(name);
const arg = (name) => (flag(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const { parsePdf } = await import(path.join(root, "services/parse/dist/pdf/pdf-parser.js"));
const { buildExtraction } = await import(path.join(root, "services/extract/dist/extraction.js"));
const { fillDeterministic } = await import(path.join(root, "services/schema/dist/engine/index.js"));
const { checkInputSchema } = await import(path.join(root, "packages/json-schema/dist/index.js"));

const TEMPLATE_KEYS = new Set(["issuer", "desc"]);
let ocr;

async function main() {
  const files = (await readdir(dir)).filter((f) => /\.(pdf|png|jpe?g|tiff?)$/iu.test(f)).sort();
  ocr = flag("--no-ocr") ? undefined : await openOcr();
  const rows = [];
  for (const file of files) {
    const truthFile = path.join(dir, file.replace(/\.[^.]+$/u, ".json"));
    if (!existsSync(truthFile)) continue;
    const isPdf = file.toLowerCase().endsWith(".pdf");
    if (!isPdf && !ocr) {
      console.error(`${file}: skipped (--no-ocr)`);
      continue;
    }
    const expected = JSON.parse(await readFile(truthFile, "utf8"))[0];
    const started = performance.now();
    const extraction = await extract(path.join(dir, file), isPdf);
    const parseMs = performance.now() - started;
    const texts = documentTexts(extraction);
    const { schema, truth } = schemaFor(expected, texts);
    const t = performance.now();
    const outcome = fillDeterministic(extraction, checkInputSchema(schema));
    const fillMs = performance.now() - t;
    rows.push({ file, parseMs, fillMs, ...score(truth, outcome), valid: outcome.validation.valid });
  }
  await ocr?.pool.close();
  print(rows);
  if (arg("--json")) await writeFile(arg("--json"), JSON.stringify(rows, null, 2));
}

async function openOcr() {
  try {
    const dist = path.join(root, "services/parse/dist");
    const { parseImage } = await import(path.join(dist, "ocr/image-document.js"));
    const { createOcrPool } = await import(path.join(dist, "ocr/ocr-pool.js"));
    const { loadConfig } = await import(path.join(dist, "config.js"));
    const pool = createOcrPool({ ...loadConfig({ QUIRE_OCR_WORKERS: "1" }).ocr, tessdataDir: "" });
    return { pool, parseImage };
  } catch (err) {
    console.error(`OCR unavailable (${err.message}): scans are skipped`);
    return undefined;
  }
}

async function extract(file, isPdf) {
  const bytes = new Uint8Array(await readFile(file));
  const parsed = isPdf ? await parsePdf(bytes, {}) : await ocr.parseImage(bytes, { pool: ocr.pool, languages: ["eng"], maxPages: 20 });
  return buildExtraction(parsed, { extractionId: "bench", cachedParse: false });
}

/** Every block and cell text, and all of them joined: where "the document holds the value" is checked. */
function documentTexts(extraction) {
  const pieces = [];
  const tableBlocks = new Set(extraction.tables.map((t) => `${t.page_number}:${t.block_id}`));
  for (const page of extraction.pages)
    for (const b of page.blocks) if (!tableBlocks.has(`${page.page_number}:${b.id}`)) pieces.push(b.text);
  for (const t of extraction.tables) for (const row of t.rows) for (const c of row) pieces.push(c.text);
  return { pieces: pieces.map(ws), all: ws(pieces.join(" ")) };
}

// ---- schema from the expected values -------------------------------------------------------

function schemaFor(expected, texts) {
  const properties = {};
  const truth = { scalars: {}, arrays: {} };
  for (const [key, value] of Object.entries(expected)) {
    if (TEMPLATE_KEYS.has(key) || key.startsWith("static_")) continue;
    if (Array.isArray(value)) {
      const array = arrayFor(value, texts);
      if (!array) continue;
      properties[key] = array.schema;
      truth.arrays[key] = array.items;
    } else if (isScalar(value) && held(value, texts.all)) {
      properties[key] = typeOf(value);
      truth.scalars[key] = value;
    }
  }
  return { schema: { type: "object", properties }, truth };
}

/** Item keys present in at least half of the items; items holding at least half of those keys (drops section headers and notes). */
function arrayFor(items, texts) {
  const objects = items.filter((i) => i && typeof i === "object");
  const counts = new Map();
  for (const o of objects) for (const k of Object.keys(o)) counts.set(k, (counts.get(k) ?? 0) + 1);
  const keys = [...counts].filter(([, n]) => n >= objects.length / 2).map(([k]) => k);
  const kept = objects
    .filter((o) => keys.filter((k) => k in o).length >= keys.length / 2)
    .map((o) => Object.fromEntries(keys.filter((k) => k in o && isScalar(o[k]) && held(o[k], texts.all)).map((k) => [k, o[k]])));
  const used = keys.filter((k) => kept.some((o) => k in o));
  if (used.length === 0) return undefined;
  const sample = (k) => kept.find((o) => k in o)[k];
  return {
    schema: { type: "array", items: { type: "object", properties: Object.fromEntries(used.map((k) => [k, typeOf(sample(k))])) } },
    items: kept,
  };
}

const isScalar = (v) => typeof v === "string" || typeof v === "number" || typeof v === "boolean";
const isIsoDate = (v) => typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/u.test(v);
// Nullable: a value the engine does not find is null by contract, and must not fail validation.
const typeOf = (v) =>
  typeof v === "number"
    ? { type: ["number", "null"] }
    : typeof v === "boolean"
      ? { type: ["boolean", "null"] }
      : isIsoDate(v)
        ? { type: ["string", "null"], format: "date" }
        : { type: ["string", "null"] };

// ---- "does this text hold the value": independent of the engine's own parsers --------------

function held(value, text) {
  if (typeof value === "number") return numberForms(value).some((f) => bounded(text, f));
  if (isIsoDate(value)) return dateForms(value).some((f) => fold(text).includes(fold(f)));
  if (typeof value !== "string" || ws(value) === "") return false;
  return value.split("\n").every((line) => bounded(text, ws(line)));
}

function bounded(text, needle) {
  if (needle === "") return false;
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
    const before = text.slice(Math.max(0, at - 2), at);
    const after = text.slice(at + needle.length, at + needle.length + 2);
    const edgeL = /[\p{L}\p{N}]/u.test(needle[0]) ? !/[\p{L}\p{N}]$/u.test(before) && !/\d[.,]$/u.test(before) : true;
    const edgeR = /[\p{L}\p{N}]/u.test(needle.at(-1)) ? !/^[\p{L}\p{N}]/u.test(after) && !/^[.,]\d/u.test(after) : true;
    if (edgeL && edgeR) return true;
  }
  return false;
}

function numberForms(v) {
  const a = Math.abs(v);
  const fixed = a.toFixed(2);
  const [int, dec] = fixed.split(".");
  const group = (sep) => int.replace(/\B(?=(\d{3})+(?!\d))/gu, sep);
  const forms = new Set([
    String(a),
    fixed,
    `${int},${dec}`,
    `${group(",")}.${dec}`,
    `${group(".")},${dec}`,
    `${group(" ")},${dec}`,
    `${group(" ")}.${dec}`,
  ]);
  if (Number.isInteger(a)) {
    forms.add(String(a));
    forms.add(group(" "));
    forms.add(group(","));
    forms.add(group("."));
  }
  if (/\.\d$/u.test(String(a))) forms.add(String(a).replace(".", ","));
  return [...forms];
}

const MONTHS = [
  ["january", "jan", "janvier", "janv", "januari", "januar", "enero", "gennaio"],
  ["february", "feb", "fevrier", "fevr", "februari", "februar", "febrero", "febbraio"],
  ["march", "mar", "mars", "maart", "marz", "marzo"],
  ["april", "apr", "avril", "avr", "abril", "aprile"],
  ["may", "mai", "mei", "mayo", "maggio"],
  ["june", "jun", "juin", "juni", "junio", "giugno"],
  ["july", "jul", "juillet", "juil", "juli", "julio", "luglio"],
  ["august", "aug", "aout", "augustus", "agosto"],
  ["september", "sep", "sept", "septembre", "septiembre", "settembre"],
  ["october", "oct", "octobre", "oktober", "okt", "octubre", "ottobre"],
  ["november", "nov", "novembre", "noviembre"],
  ["december", "dec", "decembre", "dezember", "dez", "diciembre", "dicembre"],
];

function dateForms(iso) {
  const [y, m, d] = iso.split("-");
  const [mi, di] = [Number(m), Number(d)];
  const yy = y.slice(2);
  const forms = [
    iso,
    `${d}/${m}/${y}`,
    `${m}/${d}/${y}`,
    `${d}.${m}.${y}`,
    `${d}-${m}-${y}`,
    `${di}/${mi}/${y}`,
    `${mi}/${di}/${y}`,
    `${di}.${mi}.${y}`,
    `${d}/${m}/${yy}`,
    `${m}/${d}/${yy}`,
    `${d}.${m}.${yy}`,
  ];
  for (const name of MONTHS[mi - 1])
    forms.push(
      `${di} ${name} ${y}`,
      `${di}. ${name} ${y}`,
      `${name} ${di}, ${y}`,
      `${name} ${di} ${y}`,
      `${d} ${name} ${y}`,
      `${di}-${name}-${y}`,
    );
  return forms;
}

const ws = (s) => String(s).replace(/\s+/gu, " ").trim();
const fold = (s) => ws(s).normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();

// ---- scoring --------------------------------------------------------------------------------

function same(expected, got) {
  if (got === null || got === undefined) return false;
  if (typeof expected === "number") return typeof got === "number" && Math.abs(got - expected) < 0.005;
  if (isIsoDate(expected)) return got === expected;
  return typeof got === "string" && ws(got) === ws(expected);
}

function score(truth, outcome) {
  const out = outcome.schema_output;
  const fields = [];
  for (const [key, value] of Object.entries(truth.scalars)) fields.push({ pointer: `/${key}`, expected: value, got: out[key] });
  for (const [key, items] of Object.entries(truth.arrays)) fields.push(...matchItems(key, items, Array.isArray(out[key]) ? out[key] : []));
  const filled = Object.entries(outcome.citations)
    .map(([pointer]) => pointer)
    .filter((p) => valueAt(out, p) !== null);
  const cited = filled.filter((p) => held(valueAt(out, p), ws((outcome.citations[p] ?? []).map((c) => c.text).join(" "))));
  const uncited = countFilled(out) - filled.length;
  return {
    fields: fields.length,
    right: fields.filter((f) => same(f.expected, f.got)).length,
    details: fields,
    answered: fields.filter((f) => f.got !== null && f.got !== undefined).length,
    filled: filled.length + uncited,
    citedTrue: cited.length,
    falseCitations: filled.filter((p) => !cited.includes(p)),
  };
}

/** Expected items paired with output items, most agreeing pairs first; an expected item left over scores all its fields wrong. */
function matchItems(key, expected, got) {
  const pairs = [];
  expected.forEach((e, i) => got.forEach((g, j) => pairs.push({ i, j, n: Object.keys(e).filter((k) => same(e[k], g?.[k])).length })));
  pairs.sort((a, b) => b.n - a.n || a.i - b.i);
  const [usedE, usedG, match] = [new Set(), new Set(), new Map()];
  for (const p of pairs)
    if (!usedE.has(p.i) && !usedG.has(p.j)) {
      usedE.add(p.i);
      usedG.add(p.j);
      match.set(p.i, p.j);
    }
  return expected.flatMap((e, i) =>
    Object.entries(e).map(([k, v]) => ({
      pointer: `/${key}/${i}/${k}`,
      expected: v,
      got: match.has(i) ? (got[match.get(i)]?.[k] ?? null) : null,
    })),
  );
}

function valueAt(obj, pointer) {
  let at = obj;
  for (const part of pointer.split("/").slice(1)) at = at?.[part.replaceAll("~1", "/").replaceAll("~0", "~")];
  return at ?? null;
}

function countFilled(v) {
  if (v === null || v === undefined) return 0;
  if (Array.isArray(v)) return v.reduce((n, x) => n + countFilled(x), 0);
  if (typeof v === "object") return Object.values(v).reduce((n, x) => n + countFilled(x), 0);
  return 1;
}

function print(all) {
  const pct = (a, b) => (b === 0 ? "–" : `${((100 * a) / b).toFixed(1)} %`);
  console.log(
    "| invoice | fields scored | right | accuracy | scored fields answered, right | values filled | citations that hold the value | output valid | parse+extract ms | fill ms |",
  );
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const r of all) {
    console.log(
      `| ${r.file} | ${r.fields} | ${r.right} | ${pct(r.right, r.fields)} | ${r.right}/${r.answered} | ${r.filled} | ${pct(r.citedTrue, r.filled)} | ${r.valid ? "yes" : "no"} | ${r.parseMs.toFixed(0)} | ${r.fillMs.toFixed(1)} |`,
    );
  }
  const sum = (k) => all.reduce((s, r) => s + r[k], 0);
  console.log(
    `| **all ${all.length}** | ${sum("fields")} | ${sum("right")} | **${pct(sum("right"), sum("fields"))}** | ${sum("right")}/${sum("answered")} (${pct(sum("right"), sum("answered"))}) | ${sum("filled")} | **${pct(sum("citedTrue"), sum("filled"))}** | ${all.filter((r) => r.valid).length}/${all.length} | | |`,
  );
  if (flag("--verbose")) {
    for (const r of all) {
      console.log(`\n${r.file}`);
      for (const f of r.details)
        console.log(
          `  ${same(f.expected, f.got) ? "ok  " : "MISS"} ${f.pointer}: expected ${JSON.stringify(f.expected)}, got ${JSON.stringify(f.got)}`,
        );
      for (const p of r.falseCitations) console.log(`  FALSE CITATION ${p}`);
    }
  }
}

await main();
