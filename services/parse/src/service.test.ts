// The stage handler against in-memory blobs and a recording StageContext (no NATS here;
// service.nats.test.ts runs the real worker).
import { create, fromBinary } from "@bufbuild/protobuf";
import { JobKind, ParsedDocumentSchema, StageJobSchema, type StageJob } from "@quire/contracts";
import { isQuireError, sha256Hex, type StageContext } from "@quire/runtime";
import { pino } from "pino";
import { describe, expect, it, vi } from "vitest";
import { PARSE_DEFAULTS, parsePdf } from "./pdf-parser.js";
import { createParseHandler, parseCacheKey, type ParseHandlerDeps } from "./service.js";
import { makeNumberedPdf } from "./test-helpers/pdfs.js";

function memoryBlobs() {
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

function recordingContext() {
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

interface JobFields { jobId?: string; tenantId?: string; fileRef?: string; mediaType?: string; pages?: string }
const job = (f: JobFields = {}): StageJob =>
  create(StageJobSchema, {
    jobId: f.jobId ?? "job_1", tenantId: f.tenantId ?? "acme", kind: JobKind.EXTRACT, fileRef: f.fileRef ?? "acme/file",
    mediaType: f.mediaType ?? "application/pdf", extract: { pages: f.pages ?? "" },
  });

async function failure(p: Promise<unknown>) {
  const err = await p.then(() => undefined, (e: unknown) => e);
  if (!isQuireError(err)) throw new Error(`expected a QuireError, got ${String(err)}`);
  return err;
}

describe("parse stage handler", () => {
  it("parses, stores the ParsedDocument, reports pages and hands over to extract", async () => {
    const { blobs, files, results } = memoryBlobs();
    files.set("acme/file", await makeNumberedPdf(3));
    const rec = recordingContext();
    await createParseHandler({ blobs, limits: PARSE_DEFAULTS })(job({ pages: "3,1-2" }), rec.ctx);

    expect(rec.progress).toEqual(["1:16.7:page 1/3", "2:33.3:page 2/3", "3:50:page 3/3"]);
    expect(rec.next).toHaveLength(1);
    const handed = rec.next[0]!;
    expect(handed.parsedRef).toMatch(/^acme\/parsed\/[0-9a-f]{64}$/);
    expect(handed).toMatchObject({ jobId: "job_1", tenantId: "acme", fileRef: "acme/file" });
    const doc = fromBinary(ParsedDocumentSchema, results.get(handed.parsedRef)!);
    expect(doc.pages.map((p) => p.items[0]?.text)).toEqual(["Page 1", "Page 2", "Page 3"]);
  });

  it("reuses the artifact for the same tenant, file and options, and parses again otherwise", async () => {
    const { blobs, files } = memoryBlobs();
    const pdf = await makeNumberedPdf(2);
    files.set("acme/file", pdf);
    files.set("globex/file", pdf);
    const parse = vi.fn(parsePdf);
    const handle = createParseHandler({ blobs, limits: PARSE_DEFAULTS, parse });
    const first = recordingContext();
    await handle(job({ pages: "1-2" }), first.ctx);
    const again = recordingContext();
    await handle(job({ jobId: "job_2", pages: "2,1" }), again.ctx);
    expect(parse).toHaveBeenCalledTimes(1); // "2,1" is "1-2" in normal form
    expect(again.progress).toEqual(["0:50:parsed (cached)"]);
    expect(again.next[0]?.parsedRef).toBe(first.next[0]?.parsedRef);

    const allPages = recordingContext();
    await handle(job({ jobId: "job_3" }), allPages.ctx);
    expect(parse).toHaveBeenCalledTimes(2);
    expect(allPages.next[0]?.parsedRef).not.toBe(first.next[0]?.parsedRef);

    const otherTenant = recordingContext();
    await handle(job({ tenantId: "globex", fileRef: "globex/file" }), otherTenant.ctx);
    expect(parse).toHaveBeenCalledTimes(3);
    expect(otherTenant.next[0]?.parsedRef).toMatch(/^globex\/parsed\//);
  });

  it("fails a missing file with NOT_FOUND and a non-PDF with UNSUPPORTED_FILE_TYPE, without retries", async () => {
    const { blobs, files } = memoryBlobs();
    const handle = createParseHandler({ blobs, limits: PARSE_DEFAULTS });
    const missing = await failure(handle(job(), recordingContext().ctx));
    expect(missing).toMatchObject({ code: "NOT_FOUND", retryable: false });
    files.set("acme/file", new TextEncoder().encode("\x89PNG..."));
    const png = await failure(handle(job({ mediaType: "image/png" }), recordingContext().ctx));
    expect(png).toMatchObject({ code: "UNSUPPORTED_FILE_TYPE", retryable: false });
    expect(png.message).toMatch(/image\/png.*PDF/);
  });

  it("rejects a bad page selection before parsing", async () => {
    const { blobs, files } = memoryBlobs();
    files.set("acme/file", await makeNumberedPdf(1));
    const parse = vi.fn(parsePdf);
    const err = await failure(createParseHandler({ blobs, limits: PARSE_DEFAULTS, parse })(
      job({ pages: "1-x" }), recordingContext().ctx));
    expect(err.code).toBe("INVALID_ARGUMENT");
    expect(parse).not.toHaveBeenCalled();
  });

  it("stops between pages once the job has ended", async () => {
    const { blobs, files } = memoryBlobs();
    files.set("acme/file", await makeNumberedPdf(3));
    const rec = recordingContext();
    rec.end();
    // The first check happens once 250 ms have passed since the start; a slow first page makes that certain.
    const slowParse: typeof parsePdf = (bytes, opts) =>
      parsePdf(bytes, { ...opts, onPage: async (...a) => (await new Promise((r) => setTimeout(r, 300)), opts?.onPage?.(...a)) });
    await expect(createParseHandler({ blobs, limits: PARSE_DEFAULTS, parse: slowParse })(job(), rec.ctx)).rejects.toThrow("job ended");
    expect(rec.next).toHaveLength(0);
  });
});

describe("parseCacheKey", () => {
  const base = { tenantId: "acme", fileSha: sha256Hex(new Uint8Array([1])), pages: "", password: "" };
  it("differs by tenant, file, pages and password, and never contains the password", () => {
    const keys = new Set([
      parseCacheKey(base),
      parseCacheKey({ ...base, tenantId: "globex" }),
      parseCacheKey({ ...base, fileSha: sha256Hex(new Uint8Array([2])) }),
      parseCacheKey({ ...base, pages: "1" }),
      parseCacheKey({ ...base, password: "hunter2" }),
    ]);
    expect(keys.size).toBe(5);
    expect(parseCacheKey({ ...base, password: "hunter2" })).not.toContain("hunter2");
    expect(parseCacheKey(base)).toBe(parseCacheKey({ ...base }));
  });
});
