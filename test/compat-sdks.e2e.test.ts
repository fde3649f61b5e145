import { createReadStream, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Reducto from "reductoai";
import { ExtendClient } from "extend-ai";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INVOICE, contractDoc, invoiceDoc, makeBundle, makeInvoicePdf, makePdf } from "./fixtures.js";
import { TENANTS, startStack, type Stack } from "./harness.js";
import { startReceiver, type Receiver } from "./webhook-receiver.js";

type Json = Record<string, any>;

const INVOICE_SCHEMA = {
  type: "object",
  properties: { invoice_number: { type: "string" }, total: { type: "number" } },
  required: ["invoice_number", "total"],
};
const SECTIONS = [
  { name: "Invoice", description: "A bill from a seller: invoice number, line items with quantities and amounts, VAT, total due" },
  { name: "Contract", description: "An agreement between parties: clauses, terms, termination, governing law, signatures" },
];

describe("the reductoai and extend-ai SDKs, unchanged, against Quire (real stack)", () => {
  let stack: Stack;
  let receiver: Receiver;
  let dir = "";
  let reducto: Reducto;
  let extend: ExtendClient;

  beforeAll(async () => {
    stack = await startStack();
    receiver = await startReceiver();
    dir = mkdtempSync(join(tmpdir(), "quire-compat-"));
    writeFileSync(join(dir, "doc.pdf"), await makePdf(2));
    writeFileSync(join(dir, "invoice.pdf"), await makeInvoicePdf());
    writeFileSync(join(dir, "bundle.pdf"), await makeBundle([invoiceDoc("INV-1001", "Contoso Ltd"), contractDoc(3)]));
    reducto = new Reducto({ baseURL: `${stack.url}/reducto`, apiKey: TENANTS.acme });
    extend = new ExtendClient({ baseUrl: `${stack.url}/extend`, token: TENANTS.acme });
  }, 120_000);
  afterAll(async () => {
    await receiver?.close();
    await stack?.stop();
  });

  describe("Reducto", () => {
    it("uploads, parses sync, and the job is visible at /v1/jobs", async () => {
      const up = await reducto.upload({ file: createReadStream(join(dir, "doc.pdf")), extension: "pdf" });
      expect(up.file_id).toMatch(/^reducto:\/\/file_[0-9a-f]{64}$/);
      const parsed = (await reducto.parse.run({ input: up.file_id })) as Json;
      expect(parsed.result.type).toBe("full");
      expect(parsed.result.chunks.length).toBeGreaterThan(0);
      expect(parsed.usage.num_pages).toBe(2);
      const v1 = await stack.api(`/v1/jobs/${parsed.job_id}`);
      expect(v1.status).toBe(200);
      expect(((await v1.json()) as Json).kind).toBe("extract");
      // The same call retried (as the SDK does after a 5xx or a timeout) is the same job.
      const again = (await reducto.parse.run({ input: up.file_id })) as Json;
      expect(again.job_id).toBe(parsed.job_id);
    });

    it("runs a parse job polled to completion, with metadata echoed; lists it; another tenant gets 404", async () => {
      const up = await reducto.upload({ file: createReadStream(join(dir, "doc.pdf")) });
      const { job_id } = await reducto.parse.runJob({ input: up.file_id, async: { metadata: { ref: "r-1" } } } as never);
      let job: Json = {};
      for (let i = 0; i < 120; i++) {
        job = (await reducto.job.get(job_id)) as Json;
        if (job.status === "Completed" || job.status === "Failed") break;
        expect(job.status).toBe("Pending");
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(job.status).toBe("Completed");
      expect(job.result.result.chunks.length).toBeGreaterThan(0);
      expect(job.metadata).toEqual({ ref: "r-1" });
      const list = (await reducto.job.getAll({ limit: 50 })) as Json;
      expect(list.jobs.map((j: Json) => j.job_id)).toContain(job_id);
      const other = new Reducto({ baseURL: `${stack.url}/reducto`, apiKey: TENANTS.globex, maxRetries: 0 });
      await expect(other.job.get(job_id)).rejects.toMatchObject({ status: 404 });
    });

    it("posts a direct-mode async.webhook when the job ends: Reducto's body, metadata echoed, signed with the tenant's secret", async () => {
      const secret = ((await (await stack.api("/v1/webhooks/signing-secret")).json()) as Json).secret as string;
      const up = await reducto.upload({ file: createReadStream(join(dir, "doc.pdf")) });
      const { job_id } = await reducto.parse.runJob({
        input: up.file_id,
        async: { webhook: { mode: "direct", url: `${receiver.url}/reducto` }, metadata: { ref: "w-1" } },
      } as never);
      const deadline = Date.now() + 45_000;
      while (receiver.received("/reducto").length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      const got = receiver.received("/reducto");
      expect(got).toHaveLength(1); // the end only: no progress deliveries to a vendor-style target
      expect(JSON.parse(got[0]!.body)).toEqual({ status: "Completed", job_id, metadata: { ref: "w-1" } });
      expect(() => new Webhook(secret).verify(got[0]!.body, got[0]!.headers as Record<string, string>)).not.toThrow();
      expect(((await reducto.job.get(job_id)) as Json).status).toBe("Completed");
      // Svix mode needs Svix itself: refused with Reducto's error shape, not silently ignored.
      const noRetry = new Reducto({ baseURL: `${stack.url}/reducto`, apiKey: TENANTS.acme, maxRetries: 0 });
      await expect(noRetry.parse.runJob({ input: up.file_id, async: { webhook: { mode: "svix" } } } as never)).rejects.toMatchObject({
        status: 501,
      });
    });

    it("extracts {invoice_number, total} from an invoice", async () => {
      const up = await reducto.upload({ file: createReadStream(join(dir, "invoice.pdf")) });
      const out = (await reducto.extract.run({
        input: up.file_id,
        instructions: { schema: INVOICE_SCHEMA, system_prompt: "Read the invoice." },
      } as never)) as Json;
      expect(out.result).toEqual({ invoice_number: INVOICE.number, total: INVOICE.total });
      const arr = (await reducto.extract.run({
        input: up.file_id,
        instructions: { schema: INVOICE_SCHEMA },
        settings: { array_extract: true },
      } as never)) as Json;
      expect(arr.result).toEqual([{ invoice_number: INVOICE.number, total: INVOICE.total }]);
    });

    it("splits a two-document bundle; cancels a job; presigned upload; unsupported calls answer 501", async () => {
      const up = await reducto.upload({ file: createReadStream(join(dir, "bundle.pdf")) });
      const out = (await reducto.split.run({ input: up.file_id, split_description: SECTIONS })) as Json;
      expect(out.result.section_mapping).toEqual({ Invoice: [1, 2], Contract: [3, 4, 5] });

      const { job_id } = await reducto.split.runJob({ input: up.file_id, split_description: SECTIONS.slice(0, 1) } as never);
      await reducto.job.cancel(job_id).catch((e: Json) => expect(e.status).toBe(400)); // it may have ended already
      const job = (await reducto.job.get(job_id)) as Json;
      expect(["Failed", "Completed"]).toContain(job.status);

      const large = (await reducto.upload()) as Json;
      const put = await fetch(large.presigned_url, { method: "PUT", body: Buffer.from(await makePdf(1)) });
      expect(put.status).toBe(200);
      const parsed = (await reducto.parse.run({ input: large.file_id })) as Json;
      expect(parsed.usage.num_pages).toBe(1);

      const noRetry = new Reducto({ baseURL: `${stack.url}/reducto`, apiKey: TENANTS.acme, maxRetries: 0 });
      await expect(noRetry.post("/classify", { body: {} })).rejects.toMatchObject({ status: 501 });
      expect(await reducto.apiVersion()).toEqual(expect.any(String));
    });
  });

  describe("the contract's hazards (§5)", () => {
    const bearer = { authorization: `Bearer ${TENANTS.acme}` };

    it("pages Reducto's job list by cursor and Extend's run list by nextPageToken, without repeats", async () => {
      const page1 = (await reducto.job.getAll({ limit: 1 })) as Json;
      expect(page1.jobs).toHaveLength(1);
      expect(page1.next_cursor).toEqual(expect.any(String));
      const page2 = (await reducto.job.getAll({ limit: 1, cursor: page1.next_cursor })) as Json;
      expect(page2.jobs).toHaveLength(1);
      expect(page2.jobs[0].job_id).not.toBe(page1.jobs[0].job_id);

      for (let i = 0; i < 2; i++) {
        const file = (await extend.files.upload(createReadStream(join(dir, "doc.pdf")), {})) as Json;
        await extend.parseRuns.create({ file: { id: file.id } } as never);
      }
      const runs1 = (await extend.parseRuns.list({ maxPageSize: 1 } as never)) as Json;
      expect(runs1.data).toHaveLength(1);
      expect(runs1.nextPageToken).toEqual(expect.any(String));
      const runs2 = (await extend.parseRuns.list({ maxPageSize: 1, nextPageToken: runs1.nextPageToken } as never)) as Json;
      expect(runs2.data).toHaveLength(1);
      expect(runs2.data[0].id).not.toBe(runs1.data[0].id);
    });

    it("answers every Reducto error as JSON in FastAPI's shape; a failed upload says x-should-retry: false", async () => {
      const missing = await fetch(`${stack.url}/reducto/job/job_${"0".repeat(32)}`, { headers: bearer });
      expect(missing.status).toBe(404);
      expect(missing.headers.get("content-type")).toMatch(/^application\/json/);
      expect(((await missing.json()) as Json).detail).toEqual(expect.any(String));
      const noRoute = await fetch(`${stack.url}/reducto/nowhere`, { headers: bearer });
      expect(noRoute.status).toBe(404);
      expect(noRoute.headers.get("content-type")).toMatch(/^application\/json/);

      const form = new FormData();
      form.append("file", new Blob([Buffer.from("just some words, not a document")]), "notes.bin");
      const bad = await fetch(`${stack.url}/reducto/upload`, { method: "POST", headers: bearer, body: form });
      expect(bad.status).toBeGreaterThanOrEqual(400);
      expect(bad.headers.get("x-should-retry")).toBe("false");
      expect(bad.headers.get("content-type")).toMatch(/^application\/json/);
    });

    it("recognizes a PDF part by its bytes, whatever its name and content type say", async () => {
      const form = new FormData();
      const pdf = await makePdf(1);
      form.append("file", new Blob([Buffer.from(pdf)], { type: "application/octet-stream" }), "blob");
      const res = await fetch(`${stack.url}/reducto/upload`, { method: "POST", headers: bearer, body: form });
      expect(res.status).toBe(200);
      const { file_id } = (await res.json()) as Json;
      const parsed = (await reducto.parse.run({ input: file_id })) as Json;
      expect(parsed.usage.num_pages).toBe(1);
    });
  });

  describe("Extend", () => {
    it("uploads, parses sync and with createAndPoll; the run is a Quire job; another tenant gets 404", async () => {
      const file = (await extend.files.upload(createReadStream(join(dir, "doc.pdf")), {})) as Json;
      expect(file.id).toMatch(/^file_[0-9a-f]{64}$/);
      const sync = (await extend.parse({ file: { id: file.id } } as never)) as Json;
      expect(sync.status).toBe("PROCESSED");
      expect(sync.output.chunks.length).toBeGreaterThan(0);
      const run = (await extend.parseRuns.createAndPoll({ file: { id: file.id } } as never, { maxWaitMs: 60_000 } as never)) as Json;
      expect(run.status).toBe("PROCESSED");
      expect(run.output.chunks[0].content.length).toBeGreaterThan(0);
      expect((await stack.api(`/v1/jobs/${run.id}`)).status).toBe(200);
      const other = new ExtendClient({ baseUrl: `${stack.url}/extend`, token: TENANTS.globex });
      await expect(other.parseRuns.retrieve(run.id)).rejects.toMatchObject({ statusCode: 404 });
      const list = (await extend.parseRuns.list({ maxPageSize: 50 } as never)) as Json;
      expect(list.data.map((r: Json) => r.id)).toContain(run.id);
    });

    it("extracts an invoice and splits a bundle with createAndPoll; cancels a run", async () => {
      const inv = (await extend.files.upload(createReadStream(join(dir, "invoice.pdf")), {})) as Json;
      const ex = (await extend.extractRuns.createAndPoll(
        { file: { id: inv.id }, config: { schema: INVOICE_SCHEMA } } as never,
        { maxWaitMs: 60_000 } as never,
      )) as Json;
      expect(ex.status).toBe("PROCESSED");
      expect(ex.output.value).toEqual({ invoice_number: INVOICE.number, total: INVOICE.total });

      const bundle = (await extend.files.upload(createReadStream(join(dir, "bundle.pdf")), {})) as Json;
      const classes = SECTIONS.map((s) => ({ id: s.name.toLowerCase(), type: s.name, description: s.description }));
      const sp = (await extend.splitRuns.createAndPoll(
        { file: { id: bundle.id }, config: { splitClassifications: classes } } as never,
        { maxWaitMs: 60_000 } as never,
      )) as Json;
      expect(sp.status).toBe("PROCESSED");
      expect(sp.output.splits.map((s: Json) => [s.classificationId, s.startPage, s.endPage])).toEqual([
        ["invoice", 1, 2],
        ["contract", 3, 5],
      ]);

      const created = (await extend.splitRuns.create({
        file: { id: bundle.id },
        config: { splitClassifications: classes },
      } as never)) as Json;
      expect(created.status).toBe("PROCESSING");
      try {
        const canceled = (await extend.splitRuns.cancel(created.id)) as Json;
        expect(canceled.status).toBe("CANCELLED");
      } catch (e) {
        expect((e as Json).statusCode).toBe(409); // it ended first
      }
    });

    it("sends an Extend webhook that the SDK's own verifyAndParse accepts", async () => {
      const secret = ((await (await stack.api("/v1/webhooks/signing-secret")).json()) as Json).secret as string;
      const hooked = new ExtendClient({
        baseUrl: `${stack.url}/extend`,
        token: TENANTS.acme,
        headers: { "x-quire-webhook-url": `${receiver.url}/extend` },
      });
      const inv = (await hooked.files.upload(createReadStream(join(dir, "invoice.pdf")), {})) as Json;
      const run = (await hooked.extractRuns.create({
        file: { id: inv.id },
        config: { schema: INVOICE_SCHEMA },
        metadata: { order: 7 },
      } as never)) as Json;
      const deadline = Date.now() + 45_000;
      while (receiver.received("/extend").length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      const got = receiver.received("/extend")[0]!;
      const headers = Object.fromEntries(Object.entries(got.headers).map(([k, v]) => [k, String(v)]));
      const event = extend.webhooks.verifyAndParse(got.body, headers, secret) as Json;
      expect(event.eventType).toBe("extract_run.processed");
      expect(event.payload).toMatchObject({
        id: run.id,
        status: "PROCESSED",
        metadata: { order: 7 },
        output: { value: { invoice_number: INVOICE.number } },
      });
      expect(() => extend.webhooks.verifyAndParse(got.body, headers, "wrong-secret")).toThrow();
    });
  });
});
