// The stage handler against in-memory blobs and a recording StageContext (no NATS here;
// service.nats.test.ts runs the real worker).
import { fromBinary } from "@bufbuild/protobuf";
import { JobKind, ParsedDocumentSchema, type StageJob } from "@quire/contracts";
import { isQuireError, sha256Hex } from "@quire/runtime";
import { describe, expect, it, vi } from "vitest";
import { PARSE_DEFAULTS, parsePdf } from "./pdf/pdf-parser.js";
import { createParseHandler, parseCacheKey } from "./service.js";
import { makeNumberedPdf } from "./test-helpers/pdfs.js";
import { memoryBlobs, parseJob, recordingContext } from "./test-helpers/stage.js";

interface JobFields {
  jobId?: string;
  tenantId?: string;
  fileRef?: string;
  mediaType?: string;
  pages?: string;
}
const job = ({ pages = "", ...f }: JobFields = {}): StageJob => parseJob({ kind: JobKind.EXTRACT, ...f }, { pages });

async function failure(p: Promise<unknown>) {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isQuireError(err)) throw new Error(`expected a QuireError, got ${String(err)}`);
  return err;
}

describe("parse stage handler", () => {
  it("parses, stores the ParsedDocument, reports pages and hands over to extract", async () => {
    const { blobs, files, results } = memoryBlobs();
    files.set("acme/file", await makeNumberedPdf(3));
    const rec = recordingContext();
    await createParseHandler({ blobs, limits: PARSE_DEFAULTS })(job({ pages: "3,1-2" }), rec.ctx);

    expect(rec.progress).toEqual(["1:20.8:page 1/3", "2:41.7:page 2/3", "3:62.5:page 3/3"]); // parse is 5/8 of parse → extract
    expect(rec.next).toHaveLength(1);
    const handed = rec.next[0]!;
    expect(handed.parsedRef).toMatch(/^acme\/parsed\/[0-9a-f]{64}$/);
    expect(handed.cachedParse).toBe(false);
    const doc = fromBinary(ParsedDocumentSchema, results.get(handed.parsedRef)!);
    expect(doc.pages.map((p) => p.items[0]?.text)).toEqual(["Page 1", "Page 2", "Page 3"]);
    // The parts it measured: reading the file and storing the artifact, within its run time.
    const parse = rec.timings().stages["parse"]!;
    expect(Object.keys(parse).sort()).toEqual(["load_ms", "queue_ms", "run_ms", "store_ms"]);
    expect(parse["run_ms"]!).toBeGreaterThanOrEqual(parse["load_ms"]! + parse["store_ms"]!);
  });

  it("reuses the artifact for the same tenant, file and options, and parses again otherwise", async () => {
    const { blobs, files } = memoryBlobs();
    const pdf = await makeNumberedPdf(2);
    files.set("acme/file", pdf);
    files.set("globex/file", pdf);
    const parse = vi.fn<typeof parsePdf>(parsePdf);
    const handle = createParseHandler({ blobs, limits: PARSE_DEFAULTS, parse });
    const first = recordingContext();
    await handle(job({ pages: "1-2" }), first.ctx);
    const again = recordingContext();
    await handle(job({ jobId: "job_2", pages: "2,1" }), again.ctx);
    expect(parse).toHaveBeenCalledTimes(1); // "2,1" is "1-2" in normal form
    expect(again.progress).toEqual(["0:62.5:parsed (cached)"]);
    expect(again.next[0]?.cachedParse).toBe(true);
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
    files.set("acme/file", new TextEncoder().encode("PK\x03\x04..."));
    const zip = await failure(handle(job({ mediaType: "application/zip" }), recordingContext().ctx));
    expect(zip).toMatchObject({ code: "UNSUPPORTED_FILE_TYPE", retryable: false });
    expect(zip.message).toMatch(/application\/zip.*PDF, PNG/);
    // Images need the OCR pool; a handler built without one says so (ocr.test.ts covers the rest).
    const png = await failure(handle(job({ mediaType: "image/png" }), recordingContext().ctx));
    expect(png).toMatchObject({ code: "UNSUPPORTED_FILE_TYPE", retryable: false });
  });

  it("rejects a bad page selection before parsing", async () => {
    const { blobs, files } = memoryBlobs();
    files.set("acme/file", await makeNumberedPdf(1));
    const parse = vi.fn<typeof parsePdf>(parsePdf);
    const err = await failure(createParseHandler({ blobs, limits: PARSE_DEFAULTS, parse })(job({ pages: "1-x" }), recordingContext().ctx));
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
  it("differs by tenant, file, pages, password and OCR options, and never contains the password", () => {
    const keys = new Set([
      parseCacheKey(base),
      parseCacheKey({ ...base, tenantId: "globex" }),
      parseCacheKey({ ...base, fileSha: sha256Hex(new Uint8Array([2])) }),
      parseCacheKey({ ...base, pages: "1" }),
      parseCacheKey({ ...base, password: "hunter2" }),
      parseCacheKey({ ...base, ocr: "always:eng" }),
      parseCacheKey({ ...base, ocr: "auto:eng+deu" }),
    ]);
    expect(keys.size).toBe(7);
    expect(parseCacheKey({ ...base, password: "hunter2" })).not.toContain("hunter2");
    expect(parseCacheKey(base)).toBe(parseCacheKey({ ...base }));
  });
});
