import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { apiError, formFields, startMockApi, type MockApi } from "./testing/mock-api.js";
import { EXTRACTION_ID, JOB_ID, extraction, job, schemaJob, schemaResult, splitJob, splitResult } from "./testing/fixtures.js";

const SDK_DIR = join(dirname(fileURLToPath(import.meta.url)), "..");
const CLI = join(SDK_DIR, "dist", "cli.js");
const jobPath = `/v1/jobs/${JOB_ID}`;
const accepted = { status: 202, json: { job_id: JOB_ID, status: "pending" } };

const SECTIONS = [
  { name: "invoice", description: "Invoices with line items and a total", partition_key: "invoice number" },
  { name: "contract", description: "A signed service agreement" },
];

const INVOICE_SCHEMA = {
  type: "object",
  properties: { invoice_number: { type: "string" }, total: { type: "number" }, due_date: { type: "string", format: "date" } },
};

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the compiled CLI as a child process (async: the mock server shares this event loop). */
function startCli(args: string[], env: Record<string, string | undefined>): { child: ChildProcess; done: Promise<Run> } {
  const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env["PATH"], ...env }, stdio: "pipe" });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<Run>((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

/** Resolves when the stream has printed `pattern`: wait for the event, not for time. */
function untilPrinted(stream: NodeJS.ReadableStream, pattern: RegExp): Promise<void> {
  let seen = "";
  return new Promise((resolve) => {
    const onData = (d: Buffer): void => {
      seen += d.toString();
      if (!pattern.test(seen)) return;
      stream.off("data", onData);
      resolve();
    };
    stream.on("data", onData);
  });
}

describe("quire CLI (compiled)", () => {
  let api: MockApi;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    // Build first so the test never runs a stale dist/cli.js; incremental, so cheap when up to date.
    const tsc = join(dirname(createRequire(import.meta.url).resolve("typescript/package.json")), "bin", "tsc");
    await promisify(execFile)(process.execPath, [tsc, "-b", SDK_DIR]);
    dir = await mkdtemp(join(tmpdir(), "quire-cli-"));
    await writeFile(join(dir, "invoice.pdf"), "%PDF-1.7 fake invoice");
    await writeFile(join(dir, "sections.json"), JSON.stringify(SECTIONS));
    await writeFile(join(dir, "invoice.schema.json"), JSON.stringify(INVOICE_SCHEMA));
    await writeFile(
      join(dir, "split-config.json"),
      JSON.stringify({ split_input: SECTIONS, split_rules: "cover letters go with the next document" }),
    );
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
  beforeEach(async () => {
    api = await startMockApi();
    env = { QUIRE_API_KEY: "sk_test_0123456789", QUIRE_BASE_URL: api.url, QUIRE_POLL_INTERVAL_MS: "10" };
  });
  afterEach(() => api.close());

  it("extract uploads the file as a job, shows progress, and writes --out and --markdown", async () => {
    api.on("POST", "/v1/extract", accepted);
    api.on("GET", jobPath, { json: job("processing", 50, "page 1/2") }, { json: job("completed", 100) });
    const out = join(dir, "result.json");
    const md = join(dir, "out.md");
    const run = await startCli(["extract", join(dir, "invoice.pdf"), "--pages", "1-2", "--out", out, "--markdown", md], env).done;
    expect(run.code).toBe(0);
    expect(JSON.parse(await readFile(out, "utf8"))).toEqual(extraction());
    expect(await readFile(md, "utf8")).toBe(extraction().markdown);
    expect(run.stderr).toContain(`${JOB_ID} processing 50% parse · page 1/2`);
    const sent = api.seen("POST", "/v1/extract")[0]!;
    expect(sent.headers["x-api-key"]).toBe("sk_test_0123456789");
    expect(sent.body).toMatch(/name="async"\r\n\r\ntrue/);
    expect(sent.body).toMatch(/name="pages"\r\n\r\n1-2/);
    expect(sent.body).toMatch(/filename="invoice.pdf"[\s\S]*%PDF-1.7 fake invoice/);
  });

  it("extract of a URL with no --out prints the result JSON on stdout", async () => {
    api.on("POST", "/v1/extract", accepted);
    api.on("GET", jobPath, { json: job("completed", 100) });
    const run = await startCli(["extract", "https://example.com/a.pdf"], env).done;
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(extraction());
    expect(JSON.parse(api.requests[0]!.body)).toMatchObject({ file_url: "https://example.com/a.pdf", async: true });
  });

  it("extract --tables and --chunking size:max_chars are sent as tables and chunking {strategy, max_chars}", async () => {
    api.on("POST", "/v1/extract", accepted);
    const url = await startCli(["extract", "https://example.com/a.pdf", "--async", "--tables", "html", "--chunking", "size:2000"], env)
      .done;
    expect(url.code).toBe(0);
    expect(JSON.parse(api.requests[0]!.body)).toEqual({
      file_url: "https://example.com/a.pdf",
      tables: "html",
      chunking: { strategy: "size", max_chars: 2000 },
      async: true,
    });
    const file = await startCli(["extract", join(dir, "invoice.pdf"), "--async", "--tables", "markdown", "--chunking", "section"], env)
      .done;
    expect(file.code).toBe(0);
    expect(api.requests[1]!.body).toMatch(/name="tables"\r\n\r\nmarkdown\r\n/);
    expect(api.requests[1]!.body).toMatch(/name="chunking"\r\n\r\n\{"strategy":"section"\}\r\n/);
  });

  it("extract rejects a bad --tables or --chunking with exit 2 before calling the API", async () => {
    for (const args of [
      ["--tables", "csv"],
      ["--chunking", "words"],
      ["--chunking", "size:"],
      ["--chunking", "size:2k"],
    ]) {
      const run = await startCli(["extract", "https://example.com/a.pdf", ...args], env).done;
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`${args[0]} must be`);
    }
    expect(api.requests).toHaveLength(0);
  });

  it("extract --async prints only the job id", async () => {
    api.on("POST", "/v1/extract", accepted);
    const run = await startCli(["extract", join(dir, "invoice.pdf"), "--async"], env).done;
    expect(run).toMatchObject({ code: 0, stdout: `${JOB_ID}\n` });
    expect(api.seen("GET", jobPath)).toHaveLength(0);
  });

  it("extract exits 1 naming the job and its error code when the job fails", async () => {
    api.on("POST", "/v1/extract", accepted);
    api.on("GET", jobPath, { json: job("failed", 0, "", { error: { code: "INVALID_PDF", message: "not a PDF" } }) });
    const run = await startCli(["extract", join(dir, "invoice.pdf")], env).done;
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`error: job ${JOB_ID} failed: INVALID_PDF: not a PDF`);
  });

  it("Ctrl-C during extract cancels the job when there is no terminal to ask, and says so", async () => {
    api.on("POST", "/v1/extract", accepted);
    api.on("GET", jobPath, { json: job("processing", 10, "page 1/9") });
    api.on("DELETE", jobPath, { json: { job_id: JOB_ID, status: "canceled" } });
    const { child, done } = startCli(["extract", join(dir, "invoice.pdf")], env);
    await untilPrinted(child.stderr!, /page 1\/9/);
    child.kill("SIGINT");
    const run = await done;
    expect(run.code).toBe(130);
    expect(run.stderr).toContain(`interrupted; canceled job ${JOB_ID}`);
    expect(api.seen("DELETE", jobPath)).toHaveLength(1);
  });

  it("an API error exits 1 with its code and status", async () => {
    api.on("GET", jobPath, apiError(404, "NOT_FOUND", `job ${JOB_ID} not found`));
    const run = await startCli(["jobs", "get", JOB_ID], env).done;
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`error: NOT_FOUND (HTTP 404): job ${JOB_ID} not found`);
  });

  it("jobs list prints a table and passes --status to the API", async () => {
    api.on("GET", "/v1/jobs", { json: { jobs: [{ ...job("processing", 40, "page 2/5"), result: undefined }], next_cursor: null } });
    const run = await startCli(["jobs", "list", "--status", "processing"], env).done;
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^JOB ID\s+KIND\s+STATUS\s+PROGRESS\s+CREATED\s+MESSAGE\n/);
    expect(run.stdout).toMatch(new RegExp(`${JOB_ID}\\s+extract\\s+processing\\s+40%`));
    expect(api.requests[0]!.query.get("status")).toBe("processing");
  });

  it("jobs cancel sends DELETE; upload prints the stored file", async () => {
    api.on("DELETE", jobPath, { json: { job_id: JOB_ID, status: "canceled" } });
    const uploaded = { file_id: `file_${"e".repeat(64)}`, bytes: 21, media_type: "application/pdf", filename: "invoice.pdf" };
    api.on("POST", "/v1/files", { status: 201, json: uploaded });
    const cancel = await startCli(["jobs", "cancel", JOB_ID], env).done;
    expect(cancel).toMatchObject({ code: 0, stdout: `${JOB_ID} canceled\n` });
    const upload = await startCli(["upload", join(dir, "invoice.pdf")], env).done;
    expect(upload.code).toBe(0);
    expect(JSON.parse(upload.stdout)).toEqual(uploaded);
  });

  it("without an API key it exits 2 and says how to provide one", async () => {
    const run = await startCli(["jobs", "list"], { QUIRE_BASE_URL: api.url }).done;
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("set QUIRE_API_KEY or pass --api-key");
    expect(api.requests).toHaveLength(0);
  });

  it("split uploads the file with --sections as split_config, shows progress, and prints sections → page ranges", async () => {
    api.on("POST", "/v1/split", accepted);
    api.on("GET", jobPath, { json: splitJob("processing", 40, "page 2/8") }, { json: splitJob("completed", 100) });
    const run = await startCli(
      ["split", join(dir, "invoice.pdf"), "--sections", join(dir, "sections.json"), "--engine", "llm", "--pages", "1-8"],
      env,
    ).done;
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`${JOB_ID} processing 40% parse · page 2/8`);
    expect(run.stdout).toBe(
      [
        "SECTION     PAGES  CONFIDENCE  REASON",
        "invoice     1-3,7  0.92        title page 'Invoice'; 'Page 1 of 3' reset",
        "  INV-1042  1-3",
        "  INV-1043  7",
        "contract    4-6    0.81        heading 'Service Agreement'",
        "unassigned pages: 8",
        "",
      ].join("\n"),
    );
    expect(run.stderr).toContain(`quire split ${EXTRACTION_ID} --sections`);
    const sent = api.seen("POST", "/v1/split")[0]!;
    expect(sent.body).toMatch(/filename="invoice.pdf"[\s\S]*%PDF-1.7 fake invoice/);
    const fields = await formFields(sent);
    expect(JSON.parse(fields["split_config"]!)).toEqual({ split_input: SECTIONS });
    expect(fields).toMatchObject({ engine: "llm", pages: "1-8", async: "true" });
  });

  it("split of an extraction_id sends a whole split_config file as is, and --out writes the result JSON", async () => {
    api.on("POST", "/v1/split", accepted);
    api.on("GET", jobPath, { json: splitJob("completed", 100) });
    const out = join(dir, "split.json");
    const run = await startCli(["split", EXTRACTION_ID, "--sections", join(dir, "split-config.json"), "--out", out], env).done;
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("");
    expect(JSON.parse(await readFile(out, "utf8"))).toEqual(splitResult());
    expect(run.stderr).toContain(`split 8 page(s) into 2 section(s) → ${out}`);
    expect(JSON.parse(api.requests[0]!.body)).toEqual({
      extraction_id: EXTRACTION_ID,
      split_config: { split_input: SECTIONS, split_rules: "cover letters go with the next document" },
      async: true,
    });
  });

  it("split --json prints the result JSON; --async prints only the job id", async () => {
    api.on("POST", "/v1/split", accepted);
    api.on("GET", jobPath, { json: splitJob("completed", 100) });
    const json = await startCli(["split", "https://example.com/bundle.pdf", "--sections", join(dir, "sections.json"), "--json"], env).done;
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(splitResult());
    const submitted = await startCli(["split", EXTRACTION_ID, "--sections", join(dir, "sections.json"), "--async"], env).done;
    expect(submitted).toMatchObject({ code: 0, stdout: `${JOB_ID}\n` });
    expect(api.seen("GET", jobPath)).toHaveLength(1);
  });

  it("split exits 2 before calling the API without --sections, with a bad sections file, or a bad --engine", async () => {
    await writeFile(join(dir, "broken.json"), "[{ name: invoice }]");
    await writeFile(join(dir, "nameless.json"), JSON.stringify([{ description: "invoices" }]));
    const cases: [string[], string][] = [
      [[], "missing --sections"],
      [["--sections", join(dir, "broken.json")], "broken.json is not valid JSON"],
      [["--sections", join(dir, "invoice.pdf")], "invoice.pdf is not valid JSON"],
      [["--sections", join(dir, "nameless.json")], 'section 1 needs a "name"'],
      [["--sections", join(dir, "sections.json"), "--engine", "gpt"], "--engine must be one of: deterministic, llm"],
    ];
    for (const [args, message] of cases) {
      const run = await startCli(["split", EXTRACTION_ID, ...args], env).done;
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(message);
    }
    expect(api.requests).toHaveLength(0);
  });

  it("split exits 1 naming the job and its error code when the job fails", async () => {
    api.on("POST", "/v1/split", accepted);
    api.on("GET", jobPath, { json: splitJob("failed", 0, "", { error: { code: "LLM_UNAVAILABLE", message: "model endpoint refused" } }) });
    const run = await startCli(["split", EXTRACTION_ID, "--sections", join(dir, "sections.json"), "--engine", "llm"], env).done;
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`error: job ${JOB_ID} failed: LLM_UNAVAILABLE: model endpoint refused`);
  });

  it("schema uploads the file with --schema as schema_config.input_schema, and prints each value with its page", async () => {
    api.on("POST", "/v1/schema", accepted);
    api.on("GET", jobPath, { json: schemaJob("processing", 60, "page 1/1") }, { json: schemaJob("completed", 100) });
    const run = await startCli(
      ["schema", join(dir, "invoice.pdf"), "--schema", join(dir, "invoice.schema.json"), "--prompt", "dates are DD/MM"],
      env,
    ).done;
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`${JOB_ID} processing 60% parse · page 1/1`);
    expect(run.stdout).toBe(
      [
        "FIELD            VALUE       PAGE  CONFIDENCE",
        '/invoice_number  "INV-1042"  1     0.95',
        "/total           4.11        1     0.90",
        "/due_date        null",
        "",
      ].join("\n"),
    );
    expect(run.stderr).toContain("filled 2 value(s); output valid");
    expect(run.stderr).toContain(`quire schema ${EXTRACTION_ID} --schema`);
    const fields = await formFields(api.seen("POST", "/v1/schema")[0]!);
    expect(JSON.parse(fields["schema_config"]!)).toEqual({ input_schema: INVOICE_SCHEMA, schema_prompt: "dates are DD/MM" });
    expect(fields).toMatchObject({ async: "true" });
  });

  it("schema of an extraction_id with --out writes the result; an invalid output is reported with its errors", async () => {
    const flagged = schemaResult({ validation: { valid: false, errors: [{ pointer: "/invoice_number", message: "must be string" }] } });
    api.on("POST", "/v1/schema", accepted);
    api.on("GET", jobPath, { json: schemaJob("completed", 100, "", { result: flagged }) });
    const out = join(dir, "schema.json");
    const run = await startCli(
      ["schema", EXTRACTION_ID, "--schema", join(dir, "invoice.schema.json"), "--out", out, "--engine", "llm"],
      env,
    ).done;
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("");
    expect(JSON.parse(await readFile(out, "utf8"))).toEqual(flagged);
    expect(run.stderr).toContain(`output INVALID against the schema (1 error(s)) → ${out}`);
    expect(run.stderr).toContain("/invoice_number: must be string");
    expect(JSON.parse(api.requests[0]!.body)).toEqual({
      extraction_id: EXTRACTION_ID,
      schema_config: { input_schema: INVOICE_SCHEMA },
      engine: "llm",
      async: true,
    });
  });

  it("schema exits 2 before calling the API without --schema or with a schema file that is not a JSON object", async () => {
    await writeFile(join(dir, "list.json"), "[]");
    const cases: [string[], string][] = [
      [[], "missing --schema"],
      [["--schema", join(dir, "invoice.pdf")], "invoice.pdf is not valid JSON"],
      [["--schema", join(dir, "list.json")], "must hold a JSON Schema object"],
    ];
    for (const [args, message] of cases) {
      const run = await startCli(["schema", EXTRACTION_ID, ...args], env).done;
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(message);
    }
    expect(api.requests).toHaveLength(0);
  });

  it("extractions get prints the stored extraction; an unknown id exits 1 with NOT_FOUND", async () => {
    const stored = extraction({ extraction_id: EXTRACTION_ID });
    api.on("GET", `/v1/extractions/${EXTRACTION_ID}`, { json: stored });
    const found = await startCli(["extractions", "get", EXTRACTION_ID], env).done;
    expect(found.code).toBe(0);
    expect(JSON.parse(found.stdout)).toEqual(stored);
    const missing = await startCli(["extractions", "get", `ext_${"0".repeat(32)}`], env).done;
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("error: NOT_FOUND (HTTP 404)");
  });

  it("extract --persist asks the server to keep the extraction", async () => {
    api.on("POST", "/v1/extract", accepted);
    const run = await startCli(["extract", "https://example.com/a.pdf", "--persist", "--async"], env).done;
    expect(run.code).toBe(0);
    expect(JSON.parse(api.requests[0]!.body)).toEqual({ file_url: "https://example.com/a.pdf", persist: true, async: true });
  });

  it("--help lists split and extractions get", async () => {
    const run = await startCli(["--help"], {}).done;
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("split <file|url|file_id|extraction_id> --sections <sections.json>");
    expect(run.stdout).toContain("extractions get <extraction_id>");
  });
});
