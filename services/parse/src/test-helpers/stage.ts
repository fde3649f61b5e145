// The stage handler's surroundings without NATS: in-memory blobs and a StageContext that
// records what the handler reported.
import type { StageJob } from "@quire/contracts";
import type { StageContext } from "@quire/runtime";
import { pino } from "pino";
import type { ParseHandlerDeps } from "../service.js";

export function memoryBlobs() {
  const files = { bucket: "files" };
  const results = { bucket: "results" };
  const data = new Map<object, Map<string, Uint8Array>>([[files, new Map()], [results, new Map()]]);
  const blobs = {
    files, results,
    get: async (store: object, name: string) => data.get(store)?.get(name) ?? null,
    put: async (store: object, name: string, bytes: Uint8Array) => void data.get(store)?.set(name, bytes),
    has: async (store: object, name: string) => data.get(store)?.has(name) ?? false,
  };
  return { blobs: blobs as unknown as ParseHandlerDeps["blobs"], files: data.get(files)!, results: data.get(results)! };
}

export function recordingContext() {
  const progress: string[] = [];
  const next: StageJob[] = [];
  let ended = false;
  const ctx: StageContext = {
    signal: new AbortController().signal,
    logger: pino({ level: "silent" }),
    attempt: 1,
    progress: async (seq, pct, message) => void progress.push(`${seq}:${pct}:${message}`),
    throwIfEnded: async () => {
      if (ended) throw new Error("job ended");
    },
    next: async (_stage, job) => void next.push(job),
    complete: async () => undefined,
  };
  return { ctx, progress, next, end: () => (ended = true) };
}

