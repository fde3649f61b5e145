#!/usr/bin/env node
// Robustness run: every PDF in $QUIRE_CORPUS/pdfs (default ../shared/corpus) through the real
// stack, as async extract jobs. Each must end completed, or failed with an error code; never a
// crash, a hang or a vanished job. Encrypted files with a known password run twice: without it
// (expect PDF_PASSWORD_REQUIRED) and with it. Prints a markdown table.
//   node scripts/corpus-run.mjs [--per-file-timeout-ms 300000]
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { corpusDir, openStack, submit, waitJob } from "../bench/lib/stack.mjs";

const dir = path.join(corpusDir(), "pdfs");
if (!existsSync(dir)) {
  console.error(`corpus not found at ${dir}: set QUIRE_CORPUS to the corpus folder (it holds pdfs/). Nothing was run.`);
  process.exit(0);
}
const perFileMs = Number(process.argv[process.argv.indexOf("--per-file-timeout-ms") + 1]) || 300_000;
const manifest = await readManifest(path.join(dir, "MANIFEST.tsv"));
const files = (await readdir(dir)).filter((f) => f.endsWith(".pdf")).sort();
const stack = await openStack();
const rows = [];
try {
  for (const file of files) {
    const bytes = await readFile(path.join(dir, file));
    const password = manifest.get(file)?.password;
    rows.push(await runOne(file, bytes, {}));
    if (password) rows.push(await runOne(file, bytes, { password }, `${file} (password)`));
  }
} finally {
  await stack.stop();
}

console.log("\n| file | pages | status | code | seconds |\n| --- | --- | --- | --- | --- |");
for (const r of rows) console.log(`| ${r.label} | ${r.pages} | ${r.status} | ${r.code} | ${r.seconds} |`);
const bad = rows.filter((r) => !["completed", "failed"].includes(r.status) || (r.status === "failed" && !r.code));
const count = (s) => rows.filter((r) => r.status === s).length;
console.log(
  `\n${rows.length} runs: ${count("completed")} completed, ${count("failed")} failed with a code, ${bad.length} without a clean end`,
);
process.exit(bad.length ? 1 : 0);

async function runOne(file, bytes, fields, label = file) {
  const started = performance.now();
  const sub = await submit(stack, bytes, file, fields);
  if (sub.error) return { label, pages: "-", status: `rejected ${sub.status}`, code: sub.error.code, seconds: "0.0" };
  const job = await waitJob(stack, sub.jobId, perFileMs);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const row = { label, pages: job.result?.page_count ?? "-", status: job.status, code: job.error?.code ?? "", seconds };
  console.error(`${label}: ${row.status} ${row.code} ${seconds}s`);
  return row;
}

async function readManifest(file) {
  const out = new Map();
  if (!existsSync(file)) return out;
  for (const line of (await readFile(file, "utf8")).split("\n").slice(1)) {
    const [name, , , , , , notes = ""] = line.split("\t");
    const pw = notes.match(/(?:user password|types password) (\S+?)(?:[;,)]|\s|$)/)?.[1];
    if (name) out.set(name, { password: pw && pw !== "is" ? pw : undefined });
  }
  return out;
}
