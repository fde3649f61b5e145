import { createServer, type Server } from "node:http";
import { connect } from "@nats-io/transport-node";
import { openBlobs } from "@quire/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readJobEvents } from "./events.js";
import { contractDoc, formWith, invoiceDoc, makeBundle, statementDoc } from "./fixtures.js";
import { startStack, waitForJobEnd, type Stack } from "./harness.js";

type Json = Record<string, any>;

const SECTIONS = [
  { name: "Invoice", description: "A bill from a seller: invoice number, line items with quantities and amounts, VAT, total due" },
  { name: "Contract", description: "An agreement between parties: clauses, terms, termination, governing law, signatures" },
  {
    name: "Bank statement",
    description: "An account statement from a bank: account number, opening and closing balance, dated transactions",
  },
];

describe("split over REST, end to end (real nats-server, every service a process)", () => {
  let stack: Stack;
  let files: Server;
  let filesUrl = "";
  let bundle: Uint8Array;

  beforeAll(async () => {
    stack = await startStack();
    bundle = await makeBundle([invoiceDoc("INV-1001", "Contoso Ltd"), contractDoc(3), statementDoc(2)]);
    files = createServer((req, res) => {
      if (req.url === "/bundle.pdf") res.writeHead(200, { "content-type": "application/pdf" }).end(Buffer.from(bundle));
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => files.listen(0, "127.0.0.1", r));
    filesUrl = `http://127.0.0.1:${(files.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    files?.close();
    await stack?.stop();
  });

  const splitForm = (pdf: Uint8Array, fields: Record<string, string> = {}) =>
    formWith(pdf, { split_config: JSON.stringify({ split_input: SECTIONS }), ...fields });
  const postJson = (body: Json, tenant: "acme" | "globex" = "acme") =>
    stack.api("/v1/split", { method: "POST", tenant, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

  it("splits a bundle of three kinds of document (sync), each to its section, through parse → extract → split", async () => {
    const res = await stack.api("/v1/split", { method: "POST", body: splitForm(bundle, { metadata: '{"batch":"B-7"}' }) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Json;
    expect(body.status).toBe("completed");
    const result = body.result as Json;
    expect(result.split_id).toMatch(/^spl_[0-9a-f]{32}$/);
    expect(result.extraction_id).toMatch(/^ext_[0-9a-f]{32}$/);
    expect(result.page_count).toBe(7);
    const byName = Object.fromEntries(result.splits.map((s: Json) => [s.name, s]));
    expect(byName["Invoice"]).toMatchObject({ pages: [1, 2], page_ranges: "1-2" });
    expect(byName["Contract"]).toMatchObject({ pages: [3, 4, 5], page_ranges: "3-5" });
    expect(byName["Bank statement"]).toMatchObject({ pages: [6, 7], page_ranges: "6-7" });
    for (const s of result.splits) {
      expect(s.confidence).toBeGreaterThan(0);
      expect(s.confidence).toBeLessThanOrEqual(1);
      expect(s.reason.length).toBeGreaterThan(0);
    }
    expect(result.unassigned_pages).toEqual([]);
    expect(result.usage).toMatchObject({ pages: 7, engine: "deterministic", cached_parse: false });
    // Where the time went, per stage of the plan, each part measured (not made up: run ≥ its parts).
    const timings = result.usage.timings;
    expect(Object.keys(timings.stages)).toEqual(["parse", "extract", "split"]);
    expect(timings.stages.parse).toEqual({
      queue_ms: expect.any(Number),
      run_ms: expect.any(Number),
      load_ms: expect.any(Number),
      store_ms: expect.any(Number),
    });
    expect(timings.stages.extract).toMatchObject({ load_ms: expect.any(Number), store_ms: expect.any(Number) });
    expect(timings.stages.split).toMatchObject({ queue_ms: expect.any(Number), run_ms: expect.any(Number), load_ms: expect.any(Number) });
    for (const [stage, t] of Object.entries(timings.stages) as [string, Record<string, number>][]) {
      expect(t.run_ms, stage).toBeGreaterThan(0);
      expect(t.run_ms + 1, stage).toBeGreaterThanOrEqual((t.load_ms ?? 0) + (t.store_ms ?? 0));
    }
    const sum = Object.values(timings.stages as Record<string, Record<string, number>>).reduce((n, t) => n + t.queue_ms! + t.run_ms!, 0);
    expect(timings.total_ms).toBeCloseTo(sum, 0);

    const job = await waitForJobEnd(stack, body.job_id);
    expect(job).toMatchObject({ kind: "split", status: "completed", metadata: { batch: "B-7" }, progress: { pct: 100 } });
    const events = await readJobEvents(stack.nats.url, body.job_id);
    expect(events.filter((e) => e.type === "started").map((e) => e.stage)).toEqual(["parse", "extract", "split"]);
    const pcts = events.filter((e) => e.progress).map((e) => e.progress!.pct);
    expect(pcts.at(-1)).toBe(100);
    for (let i = 1; i < pcts.length; i++) expect(pcts[i]).toBeGreaterThanOrEqual(pcts[i - 1]!); // rises, whatever the plan
    expect(events.filter((e) => e.type === "completed")).toHaveLength(1);

    // The extraction the split made is first-class: readable by id, for this tenant only.
    const ext = await stack.api(`/v1/extractions/${result.extraction_id}`);
    expect(ext.status).toBe(200);
    expect(((await ext.json()) as Json).page_count).toBe(7);
    expect((await stack.api(`/v1/extractions/${result.extraction_id}`, { tenant: "globex" })).status).toBe(404);
  });

  it("splits a stored extraction by extraction_id with no parse and no extract", async () => {
    const extracted = (await (await stack.api("/v1/extract", { method: "POST", body: formWith(bundle) })).json()) as Json;
    const extractionId = extracted.result.extraction_id as string;
    const res = await postJson({ extraction_id: extractionId, split_config: { split_input: SECTIONS }, async: true });
    expect(res.status).toBe(202);
    const { job_id } = (await res.json()) as Json;
    const job = await waitForJobEnd(stack, job_id);
    expect(job.status).toBe("completed");
    expect(job.result.extraction_id).toBe(extractionId);
    expect(job.result.splits.find((s: Json) => s.name === "Contract").page_ranges).toBe("3-5");
    const events = await readJobEvents(stack.nats.url, job_id);
    const stages = new Set(events.map((e) => e.stage).filter(Boolean));
    expect([...stages]).toEqual(["split"]);
  });

  it("gives each invoice of a bundle its own partition, keyed by its invoice number", async () => {
    const pdf = await makeBundle([invoiceDoc("INV-1001", "Contoso Ltd"), invoiceDoc("INV-2002", "Fabrikam Inc"), contractDoc(2)]);
    const sections = [{ ...SECTIONS[0], partition_key: "invoice number" }, SECTIONS[1]];
    const res = await stack.api("/v1/split", {
      method: "POST",
      body: formWith(pdf, { split_config: JSON.stringify({ split_input: sections }) }),
    });
    expect(res.status).toBe(200);
    const result = ((await res.json()) as Json).result as Json;
    const invoices = result.splits.find((s: Json) => s.name === "Invoice");
    expect(invoices.pages).toEqual([1, 2, 3, 4]);
    expect(invoices.partitions).toEqual([
      { key: "INV-1001", pages: [1, 2], page_ranges: "1-2" },
      { key: "INV-2002", pages: [3, 4], page_ranges: "3-4" },
    ]);
    expect(result.splits.find((s: Json) => s.name === "Contract").pages).toEqual([5, 6]);
  });

  it("fetches an async file_url in the job, not in the request, and names the cause when the fetch fails", async () => {
    const res = await postJson({ file_url: `${filesUrl}/bundle.pdf`, split_config: { split_input: SECTIONS }, async: true });
    expect(res.status).toBe(202);
    const job = await waitForJobEnd(stack, ((await res.json()) as Json).job_id);
    expect(job.status).toBe("completed");
    expect(job.result.page_count).toBe(7);

    const missing = await postJson({ file_url: `${filesUrl}/nope.pdf`, split_config: { split_input: SECTIONS }, async: true });
    expect(missing.status).toBe(202); // answered before any fetch
    const failed = await waitForJobEnd(stack, ((await missing.json()) as Json).job_id);
    expect(failed).toMatchObject({ status: "failed", error: { code: "FETCH_FAILED" } });
    expect(failed.error.message).toMatch(/HTTP 404/);

    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as { port: number }).port;
    await new Promise((r) => closed.close(r));
    const refused = await postJson({ file_url: `http://127.0.0.1:${port}/x.pdf`, split_config: { split_input: SECTIONS }, async: true });
    const refusedJob = await waitForJobEnd(stack, ((await refused.json()) as Json).job_id);
    expect(refusedJob).toMatchObject({ status: "failed", error: { code: "FETCH_FAILED" } });
    expect(refusedJob.error.message).toMatch(/refused the connection/);
  });

  it("refuses bad split requests with 400 naming the field, and unknown or foreign extractions with 404", async () => {
    const empty = await postJson({ file_id: `file_${"0".repeat(64)}`, split_config: { split_input: [] } });
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as Json).error).toMatchObject({
      code: "INVALID_ARGUMENT",
      details: { problems: [{ field: "split_config.split_input" }] },
    });

    const dup = await postJson({
      file_id: `file_${"0".repeat(64)}`,
      split_config: { split_input: [SECTIONS[0], { ...SECTIONS[0], name: "invoice" }] },
    });
    expect(dup.status).toBe(400);
    expect(((await dup.json()) as Json).error.message).toMatch(/unique/);

    const noConfig = await stack.api("/v1/split", { method: "POST", body: formWith(bundle) });
    expect(noConfig.status).toBe(400);
    expect(((await noConfig.json()) as Json).error.message).toMatch(/^split_config/);

    const badEngine = await postJson({ file_id: `file_${"0".repeat(64)}`, split_config: { split_input: SECTIONS }, engine: "magic" });
    expect(badEngine.status).toBe(400);

    const unknown = await postJson({ extraction_id: `ext_${"0".repeat(32)}`, split_config: { split_input: SECTIONS } });
    expect(unknown.status).toBe(404);

    const mine = (await (await stack.api("/v1/extract", { method: "POST", body: formWith(bundle) })).json()) as Json;
    const foreign = await postJson({ extraction_id: mine.result.extraction_id, split_config: { split_input: SECTIONS } }, "globex");
    expect(foreign.status).toBe(404);

    const two = await stack.api("/v1/split", {
      method: "POST",
      body: splitForm(bundle, { extraction_id: mine.result.extraction_id }),
    });
    expect(two.status).toBe(400);
    expect(((await two.json()) as Json).error.message).toMatch(/exactly one of/);
  });

  it("ends a canceled split job canceled, once", async () => {
    const big = await makeBundle(Array.from({ length: 12 }, (_, i) => (i % 2 ? contractDoc(3) : statementDoc(3))));
    const res = await stack.api("/v1/split", { method: "POST", body: splitForm(big, { async: "true" }) });
    const { job_id } = (await res.json()) as Json;
    const del = await stack.api(`/v1/jobs/${job_id}`, { method: "DELETE" });
    expect(del.status).toBe(200);
    const job = await waitForJobEnd(stack, job_id);
    expect(job.status).toBe("canceled");
    const events = await readJobEvents(stack.nats.url, job_id);
    expect(events.filter((e) => ["completed", "failed", "canceled"].includes(e.type))).toHaveLength(1);
  });

  it("keeps a persist: true extraction in the bucket without expiry", async () => {
    const res = await stack.api("/v1/extract", { method: "POST", body: formWith(bundle, { persist: "true" }) });
    const { result } = (await res.json()) as Json;
    const nc = await connect({ servers: stack.nats.url });
    try {
      const { persisted } = await openBlobs(nc);
      const info = await persisted.info(`acme/extractions/${result.extraction_id}.json`);
      expect(info?.size).toBeGreaterThan(0);
      expect((await persisted.status()).ttl).toBe(0);
    } finally {
      await nc.close();
    }
    expect((await stack.api(`/v1/extractions/${result.extraction_id}`)).status).toBe(200);
  });
});
