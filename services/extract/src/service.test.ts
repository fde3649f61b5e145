import { create, toBinary, type MessageInitShape } from "@bufbuild/protobuf";
import { JobKind, ParsedDocumentSchema, StageJobSchema, type Extraction, type StageJob } from "@quire/contracts";
import { createLogger, ErrorCode, isQuireError } from "@quire/runtime";
import { describe, expect, it } from "vitest";
import { doc, item, page } from "../test/page-builder.js";
import { layoutOptions, runExtractJob, type ExtractContext, type ResultStore } from "./service.js";

const JOB_ID = `job_${"1".repeat(32)}`;
const EXT_ID = `ext_${"1".repeat(32)}`;
type ExtractInit = NonNullable<
  Extract<NonNullable<MessageInitShape<typeof StageJobSchema>["plan"]>[number]["options"], { case: "extract" }>
>["value"];
/** An extract job as the gateway plans it (parse → extract), at its extract step. */
const job = (over: MessageInitShape<typeof StageJobSchema> = {}, extract: ExtractInit = {}): StageJob =>
  create(StageJobSchema, {
    jobId: JOB_ID,
    tenantId: "acme",
    kind: JobKind.EXTRACT,
    parsedRef: "acme/parsed/abc",
    plan: [{ stage: "parse" }, { stage: "extract", options: { case: "extract", value: extract } }],
    step: 1,
    ...over,
  });

const parsed = doc(
  ...[1, 2, 3].map((n) => page([item(`Page ${n}`, 72, 72, { size: 22 }), item(`Body of page ${n}.`, 72, 120)], { pageNumber: n })),
);

function memoryStore(initial: Record<string, Uint8Array> = {}): ResultStore & { objects: Map<string, Uint8Array>; persisted: Set<string> } {
  const objects = new Map(Object.entries(initial));
  const persisted = new Set<string>();
  return {
    objects,
    persisted,
    get: async (name) => objects.get(name) ?? null,
    put: async (name, data, persist) => void (objects.set(name, data), persist && persisted.add(name)),
  };
}

function fakeContext(opts: { endAfterChecks?: number } = {}) {
  const calls = { progress: [] as [number, number, string][], completed: [] as string[], handed: [] as string[], checks: 0 };
  const ctx: ExtractContext = {
    logger: createLogger({ service: "extract-test", level: "silent" }),
    async progress(seq, pct, message) {
      calls.progress.push([seq, pct, message]);
    },
    async throwIfEnded() {
      calls.checks++;
      if (opts.endAfterChecks !== undefined && calls.checks > opts.endAfterChecks) throw new Error("job canceled");
    },
    time: (_part, fn) => fn(),
    timings: () => ({ total_ms: 0, stages: {} }),
    async done(output) {
      if (output.resultRef) calls.completed.push(output.resultRef);
      if (output.artifacts?.extractionRef) calls.handed.push(output.artifacts.extractionRef);
    },
  };
  return { ctx, calls };
}

const withParsed = () => memoryStore({ "acme/parsed/abc": toBinary(ParsedDocumentSchema, parsed) });

describe("runExtractJob", () => {
  it("stores the extraction under <tenant>/extractions/<extraction_id>.json and hands that ref on as result and artifact", async () => {
    const store = withParsed();
    const { ctx, calls } = fakeContext();
    const ref = await runExtractJob(job(), ctx, store);
    expect(ref).toBe(`acme/extractions/${EXT_ID}.json`);
    const stored = JSON.parse(new TextDecoder().decode(store.objects.get(ref))) as Extraction;
    expect(stored).toMatchObject({ extraction_id: EXT_ID, page_count: 3, usage: { pages: 3, cached_parse: false } });
    expect(stored.markdown.indexOf("Page 1")).toBeLessThan(stored.markdown.indexOf("Page 2"));
    expect(calls.completed).toEqual([ref]);
    expect(calls.handed).toEqual([ref]);
    expect(store.persisted.size).toBe(0);
  });

  it("reports a cached parse as parse saw it, and keeps a persist: true extraction in the persisted bucket", async () => {
    const store = withParsed();
    const ref = await runExtractJob(job({ cachedParse: true }, { persist: true }), fakeContext().ctx, store);
    const stored = JSON.parse(new TextDecoder().decode(store.objects.get(ref))) as Extraction;
    expect(stored.usage.cached_parse).toBe(true);
    expect([...store.persisted]).toEqual([ref]);
  });

  it("checks for cancellation and reports progress after every page, with stable sequence numbers", async () => {
    const { ctx, calls } = fakeContext();
    await runExtractJob(job(), ctx, withParsed());
    expect(calls.checks).toBe(3);
    expect(calls.progress).toEqual([
      [1, 1 / 3, "extract page 1/3"],
      [2, 2 / 3, "extract page 2/3"],
      [3, 1, "extract page 3/3"],
    ]);
  });

  it("stops between pages when the job has ended, storing and completing nothing", async () => {
    const store = withParsed();
    const { ctx, calls } = fakeContext({ endAfterChecks: 1 });
    await expect(runExtractJob(job(), ctx, store)).rejects.toThrow("job canceled");
    expect(calls.checks).toBe(2);
    expect(store.objects.has(`acme/extractions/${EXT_ID}.json`)).toBe(false);
    expect(calls.completed).toEqual([]);
  });

  it("retries (UNAVAILABLE) while the parse artifact is not there yet", async () => {
    const err = await runExtractJob(job(), fakeContext().ctx, memoryStore()).catch((e: unknown) => e);
    expect(isQuireError(err) && err.code === ErrorCode.Unavailable && err.retryable).toBe(true);
  });

  it("fails without retry on a job with no parsed_ref or an undecodable artifact", async () => {
    const noRef = await runExtractJob(job({ parsedRef: "" }), fakeContext().ctx, memoryStore()).catch((e: unknown) => e);
    expect(isQuireError(noRef) && noRef.code === ErrorCode.InvalidArgument && !noRef.retryable).toBe(true);
    const junk = memoryStore({ "acme/parsed/abc": new Uint8Array([0xff, 0xff, 0xff, 0xff]) });
    const corrupt = await runExtractJob(job(), fakeContext().ctx, junk).catch((e: unknown) => e);
    expect(isQuireError(corrupt) && corrupt.code === ErrorCode.Internal && !corrupt.retryable).toBe(true);
  });
});

describe("layoutOptions", () => {
  it("passes the job's table format and chunking on, and falls back to the defaults for anything else", async () => {
    const store = withParsed();
    const { ctx } = fakeContext();
    const ref = await runExtractJob(job({}, { tables: "html", chunking: { strategy: "section", maxChars: 500 } }), ctx, store);
    const stored = JSON.parse(new TextDecoder().decode(store.objects.get(ref))) as Extraction;
    // One chunk per heading ("Page 1", "Page 2", "Page 3"), each citing its pages.
    expect(stored.chunks.map((c) => [c.pages, c.headings])).toEqual([
      [[1], ["Page 1"]],
      [[2], ["Page 2"]],
      [[3], ["Page 3"]],
    ]);
    expect(layoutOptions(job({}, { tables: "latex", chunking: { strategy: "words" } }))).toEqual({ tables: "markdown" });
    expect(layoutOptions(job({}, { chunking: { strategy: "size" } }))).toEqual({ tables: "markdown", chunking: { strategy: "size" } });
  });
});
