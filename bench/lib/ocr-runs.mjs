// The two sides of bench/ocr.mjs. Quire: the parse service's own modules (OCR pool of worker
// processes, sharp decoding, pdf.js rendering in its sandboxed child). CLI: `tesseract`
// processes with OMP_THREAD_LIMIT=1 (pdftoppm -r 300 -gray first for PDF pages). Both run
// `workers` pages at a time and are timed wall-clock, with the peak RSS of every process.
import { execFileSync, spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { sampleRss, treeCpuSeconds } from "./proc-rss.mjs";

/** Runs `fn` over `items` with at most `n` at once, keeping the results in order. */
export async function limit(items, n, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    }),
  );
  return out;
}

const run = (cmd, args, env = {}) =>
  new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "ignore"] });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (d) => (out += d));
    child.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(" ")} exited ${code}`))));
  });

export const pdfPages = (file) => Number(/Pages:\s+(\d+)/.exec(execFileSync("pdfinfo", [file], { encoding: "utf8" }))?.[1] ?? 0);

/** One timed pass of Quire over a set of documents; texts per page, in order. */
export async function quirePass({ parse, pool, workers }, docs) {
  const rss = sampleRss({ includeSelf: true });
  const cpu = await treeCpuSeconds();
  const started = performance.now();
  // Documents at once = workers, as the parse stage runs QUIRE_PARSE_CONCURRENCY = cores.
  const pages = await limit(docs, workers, async (doc) => {
    const bytes = await readFile(doc.path);
    const parsed = doc.pdf
      ? await parse.parsePdf(bytes, { ocr: { pool, mode: "always", languages: ["eng"], dpi: 300, maxPixels: 36e6, maxAhead: 2 * workers } })
      : await parse.parseImage(bytes, { pool, languages: ["eng"], maxPages: 100 });
    return parsed.pages.map((p) => p.items.map((i) => i.text).join("\n"));
  });
  const seconds = (performance.now() - started) / 1000;
  return { seconds, cpu: (await treeCpuSeconds()) - cpu, texts: pages.flat(), peakMb: await rss.stop() };
}

/** The same pages through the CLI; `tessdata` = its --tessdata-dir (null: Debian's default). */
export async function cliPass({ workers, tessdata }, docs) {
  const dir = await mkdtemp(path.join(tmpdir(), "quire-bench-ocr-"));
  const env = { OMP_THREAD_LIMIT: "1" }; // ANCHORS §2: with OpenMP threads on 2 vCPUs it is ~8× slower
  const extra = tessdata ? ["--tessdata-dir", tessdata] : [];
  const pages = docs.flatMap((doc) => (doc.pdf ? Array.from({ length: doc.pages }, (_, i) => ({ doc, page: i + 1 })) : [{ doc, page: 0 }]));
  const rss = sampleRss({ includeSelf: false, only: ["tesseract", "pdftoppm"] });
  const cpu = await treeCpuSeconds();
  const started = performance.now();
  const texts = await limit(pages, workers, async ({ doc, page }) => {
    if (!doc.pdf) return run("tesseract", [doc.path, "stdout", ...extra], env);
    const out = path.join(dir, `${path.basename(doc.path)}-${page}`);
    await run("pdftoppm", ["-q", "-r", "300", "-gray", "-f", String(page), "-l", String(page), "-singlefile", doc.path, out]);
    return run("tesseract", [`${out}.pgm`, "stdout", "--dpi", "300", ...extra], env);
  });
  const seconds = (performance.now() - started) / 1000;
  const result = { seconds, cpu: (await treeCpuSeconds()) - cpu, texts, peakMb: await rss.stop() };
  await rm(dir, { recursive: true, force: true });
  return result;
}

/** A tessdata folder holding the packaged best_int eng model, gunzipped for the CLI. */
export async function bestIntTessdata(gzFile) {
  const dir = await mkdtemp(path.join(tmpdir(), "quire-tessdata-best-"));
  await writeFile(path.join(dir, "eng.traineddata"), gunzipSync(await readFile(gzFile)));
  return dir;
}

/**
 * A warm-up pass of each side, then `passes` rounds in which the sides take turns. Per side:
 * median wall and CPU seconds, every pass's wall time, peak RSS, the texts of the first timed pass.
 */
export async function measure(passes, sides) {
  for (const [, pass] of sides) await pass();
  const runs = Object.fromEntries(sides.map(([name]) => [name, []]));
  for (let p = 0; p < passes; p++) for (const [name, pass] of sides) runs[name].push(await pass());
  return Object.fromEntries(
    Object.entries(runs).map(([name, list]) => {
      const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      return [
        name,
        {
          seconds: median(list.map((r) => r.seconds)),
          all: list.map((r) => r.seconds),
          cpu: median(list.map((r) => r.cpu)),
          peakMb: Math.max(...list.map((r) => r.peakMb)),
          texts: list[0].texts,
        },
      ];
    }),
  );
}
