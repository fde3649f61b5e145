// The child-process guard rails, exercised with tiny stand-in child scripts (parsePdf's
// `childScript` hook), so each failure mode is deterministic and fast.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isQuireError, type QuireError } from "@quire/runtime";
import { waitFor } from "@quire/runtime/testing";
import { childExecArgv, parsePdf, type ParsePdfOptions } from "./pdf-parser.js";
import { setWarmStandby } from "./child-runner.js";

const FAKE_PDF = new TextEncoder().encode("%PDF-1.4\n% not really parsed by the stand-in children\n");
const line = (o: object) => `process.stdout.write(${JSON.stringify(JSON.stringify(o) + "\n")});`;
const page = (n: number) => ({ type: "page", page: { pageNumber: n, width: 10, height: 10, items: [] } });

const SCRIPTS = {
  codegen: `
    const tryIt = (f) => { try { f(); return "allowed"; } catch { return "blocked"; } };
    const msg = "eval " + tryIt(() => eval("1")) + ", new Function " + tryIt(() => new Function("return 1"));
    process.stdout.write(JSON.stringify({ type: "error", code: "INVALID_PDF", message: msg }) + "\\n");`,
  crash: `process.stdin.resume(); setTimeout(() => { throw new Error("boom inside the parser"); }, 10);`,
  oomKilled: `process.kill(process.pid, "SIGKILL");`,
  hang: `setInterval(() => {}, 1000);`,
  rssHog: `const keep = []; for (let i = 0; i < 8; i++) keep.push(Buffer.alloc(64 * 1024 * 1024, 1)); setInterval(() => keep.length, 1000);`,
  heapHog: `const keep = []; for (;;) keep.push({ a: Math.random(), b: [1, 2, 3], c: "x".repeat(20) + keep.length });`,
  pidThenHang: `import { writeFileSync } from "node:fs"; writeFileSync(new URL("./child.pid", import.meta.url), String(process.pid)); setInterval(() => {}, 1000);`,
  manyPages: `${line({ type: "meta", pageCount: 3, pages: [1, 2, 3] })} ${line(page(1))} ${line(page(2))} setInterval(() => {}, 1000);`,
  noDone: `${line({ type: "meta", pageCount: 1, pages: [1] })} ${line(page(1))}`,
} as const;

let dir = "";
beforeAll(async () => {
  // These stand-in children act at start-up (e.g. write their pid); a warm standby started
  // ahead would act too and blur which process is which.
  setWarmStandby(false);
  dir = await mkdtemp(path.join(tmpdir(), "quire-parse-child-"));
  for (const [name, body] of Object.entries(SCRIPTS)) await writeFile(path.join(dir, `${name}.mjs`), body);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const run = (script: keyof typeof SCRIPTS, opts: ParsePdfOptions = {}) =>
  parsePdf(FAKE_PDF, { ...opts, childScript: path.join(dir, `${script}.mjs`) });

async function failure(p: Promise<unknown>): Promise<QuireError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isQuireError(err)) throw new Error(`expected a QuireError, got ${String(err)}`);
  return err;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("the PDF child process", () => {
  it("is started with code generation from strings disallowed and a heap cap", () => {
    expect(childExecArgv(512)).toEqual(["--disallow-code-generation-from-strings", "--max-old-space-size=512"]);
  });

  it("really cannot eval or new Function", async () => {
    const err = await failure(run("codegen"));
    expect(err.message).toBe("eval blocked, new Function blocked");
  });

  it("reports a crash without an error line as INVALID_PDF, not as an exception", async () => {
    const err = await failure(run("crash"));
    expect(err).toMatchObject({ code: "INVALID_PDF", retryable: false });
    expect(err.message).toMatch(/crashed on it \(exit code 1\)/);
    expect(String(err.details.stderr)).toMatch(/boom inside the parser/);
  });

  it("treats an exit without 'done' as a crash", async () => {
    expect((await failure(run("noDone"))).code).toBe("INVALID_PDF");
  });

  it("retries when something else SIGKILLed the child (the OOM killer)", async () => {
    const err = await failure(run("oomKilled"));
    expect(err).toMatchObject({ code: "UNAVAILABLE", retryable: true });
    expect(err.message).toMatch(/SIGKILL/);
  });

  it("kills it at the time limit with DOCUMENT_TOO_COMPLEX", async () => {
    const started = Date.now();
    const err = await failure(run("hang", { timeoutMs: 400 }));
    expect(err).toMatchObject({ code: "DOCUMENT_TOO_COMPLEX", retryable: false });
    expect(err.message).toMatch(/0.4 s limit.*QUIRE_PARSE_TIMEOUT_MS/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("kills it above the RSS limit with DOCUMENT_TOO_COMPLEX", async () => {
    const err = await failure(run("rssHog", { maxRssMb: 200 }));
    expect(err.code).toBe("DOCUMENT_TOO_COMPLEX");
    expect(err.message).toMatch(/200 MB memory limit.*QUIRE_PARSE_MAX_RSS_MB/);
  });

  it("maps V8 heap exhaustion to DOCUMENT_TOO_COMPLEX", async () => {
    const err = await failure(run("heapHog", { maxHeapMb: 32 }));
    expect(err.code).toBe("DOCUMENT_TOO_COMPLEX");
    expect(err.message).toMatch(/32 MB heap limit.*QUIRE_PARSE_MAX_HEAP_MB/);
  });

  it("kills it when the signal aborts, rejecting with the signal's reason", async () => {
    const ac = new AbortController();
    const parsing = run("pidThenHang", { signal: ac.signal });
    const pid = await waitFor("the child to start", () => readFile(path.join(dir, "child.pid"), "utf8").then(Number, () => undefined));
    expect(alive(pid)).toBe(true);
    ac.abort(new Error("job canceled"));
    await expect(parsing).rejects.toThrow("job canceled");
    await waitFor("the child to be gone", () => !alive(pid));
  });

  it("kills it and rethrows when onPage throws, without waiting for the time limit", async () => {
    const started = Date.now();
    const seen: number[] = [];
    const parsing = run("manyPages", {
      timeoutMs: 30_000,
      onPage: (p) => {
        seen.push(p.pageNumber);
        if (p.pageNumber === 2) throw new Error("canceled between pages");
      },
    });
    await expect(parsing).rejects.toThrow("canceled between pages");
    expect(seen).toEqual([1, 2]);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
