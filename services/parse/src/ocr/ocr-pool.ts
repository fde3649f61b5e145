// A pool of OCR worker processes shared by every job of the parse service: sized to the cores,
// started once and reused (a tesseract model load costs ~0.3 s), fed pages from one FIFO queue
// so a document's pages spread over all workers. A worker is replaced after `recyclePages`
// pages or when its RSS passes `maxRssMb` (WASM memory only grows), and after a crash.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ErrorCode, QuireError, type Logger } from "@quire/runtime";
import { findLanguageFiles, linkTessdata, recognitionLanguages } from "./ocr-languages.js";
import { OcrProcess } from "./ocr-process.js";
import type { OcrInput, OcrPageJson, OcrProbeJson } from "./ocr-protocol.js";

export interface OcrPoolOptions {
  workers: number;
  recyclePages: number;
  maxRssMb: number;
  pageTimeoutMs: number;
  /** Bound on a worker's start-up (tesseract.js can hang on bad data). @default 30_000 */
  initTimeoutMs?: number;
  /** An operator's tessdata folder instead of the npm packages; "" = packages. */
  tessdataDir: string;
  orientation: boolean;
  maxPixels: number;
  logger?: Logger;
  /** Another worker script (tests). */
  childScript?: string;
}

export interface OcrPool {
  /** Recognition languages whose data is installed. */
  readonly languages: readonly string[];
  ocr(input: OcrInput, languages: readonly string[], label: string, signal?: AbortSignal): Promise<OcrPageJson>;
  probe(file: string, signal?: AbortSignal): Promise<OcrProbeJson>;
  /** Starts every worker now instead of on first use. */
  warm(): Promise<void>;
  close(): Promise<void>;
  stats(): { workers: number; busy: number; queued: number; started: number; recycled: number };
}

interface Job {
  run(proc: OcrProcess): Promise<unknown>;
  resolve(v: unknown): void;
  reject(err: unknown): void;
  signal: AbortSignal | undefined;
}

interface Slot {
  proc: Promise<OcrProcess> | null;
  busy: boolean;
}

export function ocrChildScript(): string {
  // src/ocr/ under vitest, dist/ocr/ in production: two levels below the package root either way.
  return path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "dist", "ocr", "ocr-child.js");
}

export function createOcrPool(opts: OcrPoolOptions): OcrPool {
  const files = findLanguageFiles(opts.tessdataDir);
  const languages = recognitionLanguages(files);
  const slots: Slot[] = Array.from({ length: Math.max(1, opts.workers) }, () => ({ proc: null, busy: false }));
  const queue: Job[] = [];
  const counts = { started: 0, recycled: 0 };
  let langPath: Promise<string> | null = null;
  let closed = false;

  const spawn = async (): Promise<OcrProcess> => {
    langPath ??= mkdtemp(path.join(tmpdir(), "quire-tessdata-")).then(async (dir) => (await linkTessdata(files, dir), dir));
    const init = {
      langPath: await langPath,
      initTimeoutMs: opts.initTimeoutMs ?? 30_000,
      orientation: opts.orientation,
      maxPixels: opts.maxPixels,
      maxInputPixels: opts.maxPixels * 4,
    };
    counts.started++;
    return OcrProcess.start(opts.childScript ?? ocrChildScript(), ["--disallow-code-generation-from-strings"], init);
  };
  const ensure = (slot: Slot): Promise<OcrProcess> => {
    slot.proc ??= spawn();
    slot.proc.catch(() => (slot.proc = null)); // a failed start is retried by the next job
    return slot.proc;
  };

  async function runOn(slot: Slot, job: Job): Promise<void> {
    let proc: OcrProcess | undefined;
    try {
      proc = await ensure(slot);
      job.resolve(await job.run(proc));
    } catch (err) {
      job.reject(err);
    } finally {
      if (proc) await retireIfDue(slot, proc);
      slot.busy = false;
      pump();
    }
  }

  async function retireIfDue(slot: Slot, proc: OcrProcess): Promise<void> {
    const rss = proc.alive && proc.pages < opts.recyclePages ? await proc.rssMb() : null;
    if (proc.alive && proc.pages < opts.recyclePages && (rss === null || rss <= opts.maxRssMb)) return;
    if (proc.alive) {
      counts.recycled++;
      opts.logger?.info({ pages: proc.pages, rssMb: rss === null ? undefined : Math.round(rss) }, "OCR worker recycled");
    } else {
      opts.logger?.warn({ pages: proc.pages }, "OCR worker died; starting another");
    }
    proc.kill();
    slot.proc = null;
    if (!closed) void ensure(slot).catch(() => undefined); // the replacement loads while others work
  }

  function pump(): void {
    for (const slot of slots) {
      if (slot.busy) continue;
      const job = queue.shift();
      if (!job) return;
      slot.busy = true;
      void runOn(slot, job);
    }
  }

  function enqueue<T>(run: (proc: OcrProcess) => Promise<T>, signal: AbortSignal | undefined, first = false): Promise<T> {
    if (closed) return Promise.reject(new QuireError(ErrorCode.Unavailable, "the OCR pool is shut down"));
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<T>((resolve, reject) => {
      // Cancellation between pages: a queued page of a canceled job never reaches a worker.
      const onAbort = (): void => {
        const i = queue.indexOf(job);
        if (i >= 0) {
          queue.splice(i, 1);
          reject(signal?.reason);
        }
      };
      const job: Job = {
        run,
        signal,
        resolve: (v) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(v as T);
        },
        reject: (e) => {
          signal?.removeEventListener("abort", onAbort);
          reject(e);
        },
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      if (first) queue.unshift(job);
      else queue.push(job);
      pump();
    });
  }

  return {
    languages,
    ocr: (input, langs, label, signal) =>
      enqueue(async (proc) => {
        const page = await proc.request(
          { type: "ocr", input, languages: [...langs] },
          { timeoutMs: opts.pageTimeoutMs, label, crashCode: input.kind === "image" ? ErrorCode.InvalidImage : ErrorCode.Internal },
        );
        proc.pages++;
        return page;
      }, signal),
    // Probes are header reads: they jump the queue so a new image job is not stuck behind pages.
    probe: (file, signal) =>
      enqueue(
        (proc) =>
          proc.request(
            { type: "probe", path: file },
            { timeoutMs: opts.pageTimeoutMs, label: "the image", crashCode: ErrorCode.InvalidImage },
          ),
        signal,
        true,
      ),
    warm: async () => void (await Promise.all(slots.map((s) => ensure(s)))),
    close: async () => {
      closed = true;
      for (const job of queue.splice(0)) job.reject(new QuireError(ErrorCode.Unavailable, "the OCR pool is shutting down"));
      await Promise.all(slots.map(async (s) => (await s.proc?.catch(() => null))?.stop()));
      if (langPath) await rm(await langPath, { recursive: true, force: true });
    },
    stats: () => ({ workers: slots.length, busy: slots.filter((s) => s.busy).length, queued: queue.length, ...counts }),
  };
}
