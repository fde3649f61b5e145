import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formWith, makePdf } from "./fixtures.js";
import { startStack, waitForJobEnd, type Stack } from "./harness.js";
// The hand-built RC4 encryption fixture lives with the parse tests; reuse it rather than copy it.
import { makeEncryptedPdf } from "../services/parse/src/test-helpers/encrypted-pdf.js";

type Json = Record<string, any>;

describe("bad input gets a clear error code and status (limits: 200 kB files, 1 ms sync limit)", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ QUIRE_MAX_FILE_BYTES: "200000", QUIRE_SYNC_TIMEOUT_MS: "1" });
  });
  afterAll(() => stack?.stop());

  const errorOf = async (res: Response) => ((await res.json()) as Json).error;

  it("refuses a missing or wrong API key with 401, and accepts a Bearer key", async () => {
    const none = await fetch(`${stack.url}/v1/jobs`);
    expect(none.status).toBe(401);
    expect((await errorOf(none)).code).toBe("UNAUTHENTICATED");
    const wrong = await stack.api("/v1/jobs", { headers: { "x-api-key": "not-a-real-key-000000" } });
    expect(wrong.status).toBe(401);
    const bearer = await stack.api("/v1/jobs", { headers: { authorization: `Bearer globex-key-0123456789abcdef` } });
    expect(bearer.status).toBe(200);
  });

  it("answers 415 UNSUPPORTED_FILE_TYPE for a file that is not a PDF", async () => {
    const res = await stack.api("/v1/extract", {
      method: "POST",
      body: formWith(new TextEncoder().encode("just some text"), {}, "notes.txt"),
    });
    expect(res.status).toBe(415);
    const err = await errorOf(res);
    expect(err).toMatchObject({ code: "UNSUPPORTED_FILE_TYPE" });
    expect(err.message).toMatch(/PDF/);
    expect(err.details).toBeTypeOf("object");
  });

  it("answers 413 FILE_TOO_LARGE above the size limit", async () => {
    const big = new Uint8Array(300_000).fill(32);
    big.set(new TextEncoder().encode("%PDF-1.4\n"));
    const res = await stack.api("/v1/extract", { method: "POST", body: formWith(big) });
    expect(res.status).toBe(413);
    expect((await errorOf(res)).code).toBe("FILE_TOO_LARGE");
  });

  it("answers 400 INVALID_ARGUMENT for bad options, naming the field", async () => {
    const res = await stack.api("/v1/extract", { method: "POST", body: formWith(await makePdf(1), { pages: "first" }) });
    expect(res.status).toBe(400);
    const err = await errorOf(res);
    expect(err.code).toBe("INVALID_ARGUMENT");
    expect(err.message).toContain("pages");
    const none = await stack.api("/v1/extract", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(none.status).toBe(400);
  });

  it("fails a malformed PDF's job with INVALID_PDF", async () => {
    const junk = new TextEncoder().encode("%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nthis is not a pdf at all\n%%EOF");
    const res = await stack.api("/v1/extract", { method: "POST", body: formWith(junk, { async: "true" }) });
    expect(res.status).toBe(202);
    const job = await waitForJobEnd(stack, ((await res.json()) as Json).job_id);
    expect(job.status).toBe("failed");
    expect(job.error).toMatchObject({ code: "INVALID_PDF" });
  });

  it("answers 202 with the job id when a sync call outlives the sync limit, and the job still completes", async () => {
    const res = await stack.api("/v1/extract", { method: "POST", body: formWith(await makePdf(2)) });
    expect(res.status).toBe(202);
    const { job_id } = (await res.json()) as Json;
    expect((await waitForJobEnd(stack, job_id)).status).toBe("completed");
  });

  it("answers 404 for an unknown job and for another tenant's job", async () => {
    const unknown = await stack.api(`/v1/jobs/job_${"0".repeat(32)}`);
    expect(unknown.status).toBe(404);
    expect((await errorOf(unknown)).code).toBe("NOT_FOUND");
    const res = await stack.api("/v1/extract", { method: "POST", body: formWith(await makePdf(1), { async: "true" }) });
    const { job_id } = (await res.json()) as Json;
    await waitForJobEnd(stack, job_id);
    const foreign = await stack.api(`/v1/jobs/${job_id}`, { tenant: "globex" });
    expect(foreign.status).toBe(404);
    const cancelForeign = await stack.api(`/v1/jobs/${job_id}`, { method: "DELETE", tenant: "globex" });
    expect(cancelForeign.status).toBe(404);
  });

  it("serves an OpenAPI 3.1 document describing the routes", async () => {
    const doc = (await (await fetch(`${stack.url}/openapi.json`)).json()) as Json;
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/v1/extract", "/v1/files", "/v1/jobs", "/v1/jobs/{id}"]));
    expect(doc.components.schemas.ExtractRequest.properties.pages).toBeDefined();
    const html = await (await fetch(`${stack.url}/docs`)).text();
    expect(html).toContain("/v1/jobs/{id}/events");
    expect(html).toContain('href="/openapi.json"');
  });
});

describe("encrypted PDFs", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.stop());

  it("fails without the password (PDF_PASSWORD_REQUIRED) and extracts with it", async () => {
    const pdf = makeEncryptedPdf({ userPassword: "s3cret-pw", text: "Quarterly secrets" });
    const without = await stack.api("/v1/extract", { method: "POST", body: formWith(pdf) });
    expect(without.status).toBe(422);
    const err = ((await without.json()) as Json).error;
    expect(err.code).toBe("PDF_PASSWORD_REQUIRED");
    expect(err.details.job_id).toMatch(/^job_/);
    const job = await waitForJobEnd(stack, err.details.job_id);
    expect(job).toMatchObject({ status: "failed", error: { code: "PDF_PASSWORD_REQUIRED" } });

    const withPw = await stack.api("/v1/extract", { method: "POST", body: formWith(pdf, { password: "s3cret-pw" }) });
    expect(withPw.status).toBe(200);
    expect(((await withPw.json()) as Json).result.markdown).toContain("Quarterly secrets");
  });
});
