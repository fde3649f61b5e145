#!/usr/bin/env node
// `pnpm bench`: the skeleton's two figures, rerunnable by anyone.
//  A. Text-path pages/s over $QUIRE_CORPUS/pdfs: Quire's parse (pdf.js in its sandboxed child,
//     one child per document, as the parse service runs it) + extract, against `pdftotext`
//     on the same files in the same run.
//  B. Pipeline overhead: submit→completed latency of 100 one-page jobs through the real stack
//     (REST → JetStream → parse → extract → job end), minus the in-process parse+extract time
//     of the same document.
//  C. Many small jobs: --burst distinct one-page jobs with --in-flight sync calls at once.
//  D. Tracing cost (--only tracing): C with OTLP export to a local receiver vs none, alternating.
//  E. Text path through the service (--only service): corpus PDFs, --in-flight (4) at once, beside pdftotext.
//   node bench/run.mjs [--passes 3] [--jobs 100] [--burst 300] [--in-flight 16] [--rounds 2] [--only text|pipeline|burst|tracing] [--no-warm] [--no-reuse]
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { PDFDocument, StandardFonts } from "pdf-lib";
import { corpusDir, openStack } from "./lib/stack.mjs";

const root = path.resolve(import.meta.dirname, "..");
const { parsePdf } = await import(path.join(root, "services/parse/dist/pdf/pdf-parser.js"));
const { buildExtraction } = await import(path.join(root, "services/extract/dist/extraction.js"));
const { setWarmStandby } = await import(path.join(root, "services/parse/dist/pdf/child-runner.js"));

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const passes = Number(arg("passes", 3));
const jobs = Number(arg("jobs", 100));
const only = arg("only", "");
// --no-warm: start every pdf.js child on demand, as before the warm standby (for A/B runs).
if (process.argv.includes("--no-warm")) setWarmStandby(false);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const fmt = (x, d = 1) => x.toFixed(d);

// --no-reuse: a fresh sandboxed child per document, as before children were reused (for A/B runs).
const reuse = !process.argv.includes("--no-reuse");

async function quireTextPath(bytes) {
  // As the parse service runs it: one tenant's documents share sandboxed children.
  const parsed = await parsePdf(bytes, reuse ? { reuseKey: "bench" } : {});
  buildExtraction(parsed, { extractionId: "bench", cachedParse: false });
  return parsed.pages.length;
}

async function benchText() {
  const dir = path.join(corpusDir(), "pdfs");
  if (!existsSync(dir)) return console.log(`\nA. skipped: corpus not found at ${dir} (set QUIRE_CORPUS)`);
  if (spawnSync("pdftotext", ["-v"]).error) return console.log("\nA. skipped: pdftotext not installed (apt-get install poppler-utils)");
  const files = [];
  for (const f of (await readdir(dir)).filter((f) => f.endsWith(".pdf")).sort()) {
    const bytes = await readFile(path.join(dir, f));
    const pages = await quireTextPath(bytes).catch(() => 0); // encrypted or broken: left out of both sides
    const poppler = spawnSync("pdftotext", ["-q", path.join(dir, f), "/dev/null"]).status === 0;
    if (pages > 0 && poppler) files.push({ f, bytes, pages });
  }
  const totalPages = files.reduce((n, x) => n + x.pages, 0);
  const runs = { quire: [], pdftotext: [] };
  for (let p = 0; p <= passes; p++) {
    let t = performance.now();
    for (const x of files) await quireTextPath(x.bytes);
    const q = (performance.now() - t) / 1000;
    t = performance.now();
    for (const x of files) execFileSync("pdftotext", ["-q", "-enc", "UTF-8", path.join(dir, x.f), "/dev/null"]);
    const d = (performance.now() - t) / 1000;
    if (p > 0) {
      runs.quire.push(totalPages / q);
      runs.pdftotext.push(totalPages / d);
    } // pass 0 warms up
  }
  const q = median(runs.quire),
    d = median(runs.pdftotext);
  console.log(`\nA. Text path over ${files.length} corpus PDFs (${totalPages} pages), median of ${passes} passes after a warm-up\n`);
  console.log("| | pages/s (median) | min–max |\n| --- | --- | --- |");
  console.log(
    `| Quire parse (sandboxed pdf.js child${reuse ? "ren reused per tenant" : " per document"}) + extract | ${fmt(q)} | ${fmt(Math.min(...runs.quire))}–${fmt(Math.max(...runs.quire))} |`,
  );
  console.log(`| pdftotext (one process per file) | ${fmt(d)} | ${fmt(Math.min(...runs.pdftotext))}–${fmt(Math.max(...runs.pdftotext))} |`);
  console.log(`| **Quire ÷ pdftotext** | **${fmt(q / d, 2)}×** | |`);
}

/**
 * E. The text path through the running service, several jobs in flight: `rounds` rounds of four
 * corpus PDFs (tracemonkey, pdkids, freeculture, issue840), every upload made distinct with a
 * trailing PDF comment so no cache answers, `inFlight` sync extract calls at a time, REST upload
 * to completed job; beside pdftotext on the same files, one after another, in the same run.
 */
async function benchService(rounds = Number(arg("rounds", 3)), inFlight = Number(arg("in-flight", 4))) {
  const dir = path.join(corpusDir(), "pdfs");
  const names = ["tracemonkey.pdf", "pdkids.pdf", "freeculture.pdf", "issue840.pdf"];
  if (!names.every((n) => existsSync(path.join(dir, n))))
    return console.log(`\nE. skipped: corpus PDFs not found in ${dir} (set QUIRE_CORPUS)`);
  if (spawnSync("pdftotext", ["-v"]).error) return console.log("\nE. skipped: pdftotext not installed (apt-get install poppler-utils)");
  const files = [];
  for (const n of names) {
    const bytes = await readFile(path.join(dir, n));
    files.push({ n, bytes, pages: await quireTextPath(bytes) });
  }
  const work = [];
  for (let r = 0; r < rounds; r++)
    for (const f of files) work.push({ ...f, bytes: Buffer.concat([f.bytes, Buffer.from(`\n%quire-bench ${r} ${Math.random()}\n`)]) });
  const totalPages = work.reduce((n, w) => n + w.pages, 0);
  const stack = await openStack({
    QUIRE_LOG_LEVEL: "warn",
    QUIRE_SYNC_TIMEOUT_MS: "600000",
    QUIRE_MAX_FILE_BYTES: String(200 * 1024 * 1024),
  });
  let quireS;
  try {
    const call = async (w) => {
      const form = new FormData();
      form.set("file", new Blob([w.bytes]), w.n);
      const res = await fetch(`${stack.url}/v1/extract`, { method: "POST", headers: { "x-api-key": stack.key }, body: form });
      const body = await res.json();
      if (body.status !== "completed") throw new Error(`${w.n}: ${JSON.stringify(body).slice(0, 300)}`);
      if (body.result.page_count !== w.pages) throw new Error(`${w.n}: ${body.result.page_count} pages, expected ${w.pages}`);
    };
    await call({ ...files[3], bytes: Buffer.concat([files[3].bytes, Buffer.from("\n%warm\n")]) }); // warm-up
    let next = 0;
    const t = performance.now();
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (next < work.length) await call(work[next++]);
      }),
    );
    quireS = (performance.now() - t) / 1000;
  } finally {
    await stack.stop();
  }
  const { mkdtemp, writeFile: write, rm } = await import("node:fs/promises");
  const tmp = await mkdtemp(path.join((await import("node:os")).tmpdir(), "quire-bench-e-"));
  const paths = [];
  for (const [i, w] of work.entries()) {
    const p = path.join(tmp, `${i}-${w.n}`);
    await write(p, w.bytes);
    paths.push(p);
  }
  const t = performance.now();
  for (const p of paths) execFileSync("pdftotext", ["-q", "-enc", "UTF-8", p, "/dev/null"]);
  const popplerS = (performance.now() - t) / 1000;
  await rm(tmp, { recursive: true, force: true });
  const q = totalPages / quireS,
    d = totalPages / popplerS;
  console.log(
    `\nE. Text path through the service: ${work.length} uploads (${rounds} rounds of ${names.join(", ")}; ${totalPages} pages), ${inFlight} in flight\n`,
  );
  console.log("| | seconds | pages/s |\n| --- | --- | --- |");
  console.log(`| Quire (REST upload → parse → extract → completed, sync calls) | ${fmt(quireS)} | ${fmt(q)} |`);
  console.log(`| pdftotext (one process per file, one after another) | ${fmt(popplerS)} | ${fmt(d)} |`);
  console.log(`| **Quire ÷ pdftotext** | | **${fmt(q / d, 3)}×** |`);
}

/** A distinct one-page PDF per job: identical files would hit the parse cache and measure nothing. */
async function onePagePdf(n) {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([612, 792]);
  page.drawText("Pipeline latency probe", { x: 72, y: 700, size: 20, font });
  page.drawText(`One page, a heading and a line of text. Probe number ${n}.`, { x: 72, y: 670, size: 11, font });
  return doc.save();
}

async function benchPipeline() {
  const pdfs = [];
  for (let i = 0; i < jobs + 5; i++) pdfs.push(await onePagePdf(i));
  const inProcess = [];
  for (let i = 0; i < 25; i++) {
    const t = performance.now();
    await quireTextPath(pdfs[i]);
    if (i >= 5) inProcess.push(performance.now() - t);
  }
  const stack = await openStack({ QUIRE_LOG_LEVEL: "warn", ...(reuse ? {} : { QUIRE_PARSE_CHILD_MAX_DOCS: "1" }) });
  const latency = [];
  const timings = [];
  try {
    for (let i = 0; i < jobs + 5; i++) {
      const form = new FormData();
      form.set("file", new Blob([pdfs[i]]), "probe.pdf");
      const t = performance.now();
      const res = await fetch(`${stack.url}/v1/extract`, { method: "POST", headers: { "x-api-key": stack.key }, body: form });
      const body = await res.json();
      if (body.status !== "completed") throw new Error(`job did not complete: ${JSON.stringify(body).slice(0, 300)}`);
      if (i >= 5) {
        latency.push(performance.now() - t);
        timings.push(body.result.usage.timings);
      } // 5 warm-up jobs
    }
  } finally {
    await stack.stop();
  }
  const parse = median(inProcess);
  console.log(`\nB. ${jobs} one-page jobs, one at a time, sync REST call (submit → completed), after 5 warm-up jobs\n`);
  console.log("| | p50 ms | p95 ms |\n| --- | --- | --- |");
  console.log(`| submit → completed | ${fmt(pct(latency, 50))} | ${fmt(pct(latency, 95))} |`);
  console.log(`| in-process parse + extract of the same PDF (median of 20) | ${fmt(parse)} | ${fmt(pct(inProcess, 95))} |`);
  console.log(
    `| **pipeline overhead** (latency − in-process median) | **${fmt(pct(latency, 50) - parse)}** | **${fmt(pct(latency, 95) - parse)}** |`,
  );
  printBreakdown(latency, timings);
}

/** Where each job's time went, from its own `usage.timings`: per stage and part, and what no stage accounts for. */
function printBreakdown(latency, timings) {
  const rows = new Map();
  for (const t of timings)
    for (const [stage, parts] of Object.entries(t.stages))
      for (const [part, ms] of Object.entries(parts)) {
        const key = `${stage} ${part.replace(/_ms$/, "")}`;
        if (!rows.has(key)) rows.set(key, []);
        rows.get(key).push(ms);
      }
  console.log("\nWhere the time goes (each job's usage.timings)\n");
  console.log("| stage part | p50 ms | p95 ms |\n| --- | --- | --- |");
  for (const [key, xs] of rows) console.log(`| ${key} | ${fmt(pct(xs, 50))} | ${fmt(pct(xs, 95))} |`);
  const stages = timings.map((t) => t.total_ms);
  const outside = latency.map((l, i) => l - timings[i].total_ms);
  console.log(`| every stage's queue + run (total_ms) | ${fmt(pct(stages, 50))} | ${fmt(pct(stages, 95))} |`);
  console.log(`| outside the stages (HTTP, upload, submit, job end → sync answer) | ${fmt(pct(outside, 50))} | ${fmt(pct(outside, 95))} |`);
}

/** C. Many small jobs at once: `inFlight` sync calls at a time over distinct one-page PDFs; jobs/s and latency. */
async function benchThroughput(total = Number(arg("burst", 300)), inFlight = Number(arg("in-flight", 16))) {
  const r = await burst(total, inFlight, 100_000);
  console.log(`\nC. ${total} distinct one-page jobs, ${inFlight} sync calls in flight\n`);
  console.log("| jobs/s | p50 ms | p95 ms |\n| --- | --- | --- |");
  console.log(`| ${fmt(r.jobsPerS)} | ${fmt(r.p50)} | ${fmt(r.p95)} |`);
}

/**
 * D. What tracing costs: bench C with spans and metrics exported over OTLP to a local receiver,
 * against no exporter, alternating (off, on, off, on, …) in one run so drift hits both alike.
 */
async function benchTracing(total = Number(arg("burst", 300)), inFlight = Number(arg("in-flight", 16)), rounds = Number(arg("rounds", 2))) {
  const receiver = await otlpReceiver();
  const runs = { off: [], on: [] };
  try {
    for (let i = 0; i < rounds; i++) {
      for (const mode of ["off", "on"]) {
        const env = mode === "on" ? { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url } : {};
        runs[mode].push(await burst(total, inFlight, 300_000 + (2 * i + (mode === "on" ? 1 : 0)) * total, env));
      }
    }
  } finally {
    receiver.close();
  }
  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const off = mean(runs.off.map((r) => r.jobsPerS));
  const on = mean(runs.on.map((r) => r.jobsPerS));
  console.log(`\nD. Tracing cost: ${total} distinct one-page jobs, ${inFlight} in flight, ${rounds} rounds each, alternating\n`);
  console.log("| tracing | jobs/s per round | mean jobs/s | p50 ms (mean) |\n| --- | --- | --- | --- |");
  for (const mode of ["off", "on"])
    console.log(
      `| ${mode === "on" ? "exported (OTLP/HTTP to a local receiver)" : "off (no exporter)"} | ${runs[mode].map((r) => fmt(r.jobsPerS)).join(", ")} | ${fmt(mode === "on" ? on : off)} | ${fmt(mean(runs[mode].map((r) => r.p50)))} |`,
    );
  console.log(
    `\nexported / off: ${(on / off).toFixed(3)} (${((1 - on / off) * 100).toFixed(1)} % slower); the receiver got ${receiver.spans()} spans in ${receiver.requests()} requests`,
  );
}

/** A stand-in OpenTelemetry collector: accepts OTLP/HTTP (JSON or protobuf) and counts what arrives. */
async function otlpReceiver() {
  const { createServer } = await import("node:http");
  let requests = 0;
  let spans = 0;
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      requests++;
      if (req.url === "/v1/traces" && (req.headers["content-type"] ?? "").includes("json")) {
        try {
          for (const rs of JSON.parse(Buffer.concat(chunks).toString()).resourceSpans ?? [])
            for (const ss of rs.scopeSpans ?? []) spans += (ss.spans ?? []).length;
        } catch {
          /* counted as a request only */
        }
      }
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${server.address().port}`, requests: () => requests, spans: () => spans, close: () => server.close() };
}

/** `total` distinct one-page sync jobs, `inFlight` at a time, on a fresh stack; jobs/s and latency percentiles. */
async function burst(total, inFlight, seed, env = {}) {
  const pdfs = [];
  for (let i = 0; i < total; i++) pdfs.push(await onePagePdf(seed + i));
  const stack = await openStack({ QUIRE_LOG_LEVEL: "warn", ...(reuse ? {} : { QUIRE_PARSE_CHILD_MAX_DOCS: "1" }), ...env });
  const latency = [];
  let next = 0;
  let t0 = 0;
  try {
    const call = async (bytes) => {
      const form = new FormData();
      form.set("file", new Blob([bytes]), "probe.pdf");
      const t = performance.now();
      const res = await fetch(`${stack.url}/v1/extract`, { method: "POST", headers: { "x-api-key": stack.key }, body: form });
      const body = await res.json();
      if (body.status !== "completed") throw new Error(`job did not complete: ${JSON.stringify(body).slice(0, 300)}`);
      return performance.now() - t;
    };
    for (let i = 0; i < 5; i++) await call(await onePagePdf(200_000 + i)); // warm-up
    t0 = performance.now();
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (next < total) latency.push(await call(pdfs[next++]));
      }),
    );
  } finally {
    await stack.stop();
  }
  const seconds = (performance.now() - t0) / 1000;
  return { jobsPerS: total / seconds, p50: pct(latency, 50), p95: pct(latency, 95) };
}

console.log(`Quire bench — ${new Date().toISOString()} — node ${process.version}, ${(await import("node:os")).cpus().length} cores`);
if (only === "" || only === "text") await benchText();
if (only === "" || only === "pipeline") await benchPipeline();
if (only === "" || only === "burst") await benchThroughput();
if (only === "tracing") await benchTracing();
if (only === "service") await benchService();
