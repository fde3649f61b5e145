import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formWith, makePdf } from "./fixtures.js";
import { startStack, waitForJobEnd, type Stack } from "./harness.js";
import { readJobEvents } from "./events.js";

type Json = Record<string, any>;

describe("extract over REST, end to end (real nats-server, every service a process)", () => {
  let stack: Stack;
  let files: Server;
  let filesUrl = "";
  beforeAll(async () => {
    stack = await startStack();
    const pdf = await makePdf(2);
    files = createServer((req, res) => {
      if (req.url === "/doc.pdf") res.writeHead(200, { "content-type": "application/pdf" }).end(Buffer.from(pdf));
      else if (req.url === "/moved") res.writeHead(302, { location: "/doc.pdf" }).end();
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => files.listen(0, "127.0.0.1", r));
    filesUrl = `http://127.0.0.1:${(files.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    files?.close();
    await stack?.stop();
  });

  it("answers a sync extract with markdown and blocks whose bboxes are normalized", async () => {
    const res = await stack.api("/v1/extract", { method: "POST", body: formWith(await makePdf(2)) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Json;
    expect(body.status).toBe("completed");
    expect(body.job_id).toMatch(/^job_[0-9a-f]{32}$/);
    expect(body.result.page_count).toBe(2);
    expect(body.result.markdown).toMatch(/^#+ Introduction$/m);
    expect(body.result.markdown.indexOf("Introduction")).toBeLessThan(body.result.markdown.indexOf("Methods"));
    const page = body.result.pages[0];
    expect(page).toMatchObject({ page_number: 1, width: 612, height: 792 });
    const heading = page.blocks.find((b: Json) => b.text === "Introduction");
    expect(["title", "heading"]).toContain(heading.type);
    expect(heading.bbox).toHaveLength(4);
    for (const v of heading.bbox) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
    expect(heading.bbox[1]).toBeLessThan(0.2); // near the top, measured from the top-left
  });

  it("reuses the parse of the same bytes and says so: usage.cached_parse, and no parse store in the timings", async () => {
    const pdf = await makePdf(4, 6);
    const first = (await (await stack.api("/v1/extract", { method: "POST", body: formWith(pdf) })).json()) as Json;
    const again = (await (await stack.api("/v1/extract", { method: "POST", body: formWith(pdf) })).json()) as Json;
    expect(first.result.usage).toMatchObject({ pages: 4, cached_parse: false });
    expect(again.result.usage).toMatchObject({ pages: 4, cached_parse: true });
    expect(first.result.usage.timings.stages.parse.store_ms).toBeGreaterThanOrEqual(0);
    expect(again.result.usage.timings.stages.parse).not.toHaveProperty("store_ms");
    expect(again.result.markdown).toBe(first.result.markdown);
  });

  it("runs async: 202 at once, then the job moves to completed with per-page progress events", async () => {
    const res = await stack.api("/v1/extract", {
      method: "POST",
      body: formWith(await makePdf(3), { async: "true", metadata: '{"ref":"A-1"}' }),
    });
    expect(res.status).toBe(202);
    const accepted = (await res.json()) as Json;
    expect(accepted.status).toBe("pending");
    const job = await waitForJobEnd(stack, accepted.job_id);
    expect(job).toMatchObject({ status: "completed", kind: "extract", metadata: { ref: "A-1" } });
    expect(job.completed_at).toBeTruthy();
    expect((job as Json).result.page_count).toBe(3);
    const events = await readJobEvents(stack.nats.url, accepted.job_id);
    const messages = events.filter((e) => e.type === "progress").map((e) => e.progress?.message);
    // The first and the last page of each stage always report; those between are coalesced.
    expect(messages).toEqual(expect.arrayContaining(["page 1/3", "page 3/3", "extract page 1/3", "extract page 3/3"]));
    const pcts = events.filter((e) => e.type === "progress").map((e) => e.progress?.pct ?? -1);
    expect(pcts).toEqual([...pcts].sort((x, y) => x - y));
    expect(events.filter((e) => e.type === "completed")).toHaveLength(1);
  });

  it("streams a job's progress as Server-Sent Events until it ends", async () => {
    const res = await stack.api("/v1/extract", { method: "POST", body: formWith(await makePdf(120, 20), { async: "true" }) });
    const { job_id } = (await res.json()) as Json;
    const sse = await stack.api(`/v1/jobs/${job_id}/events`);
    expect(sse.status).toBe(200);
    expect(sse.headers.get("content-type")).toContain("text/event-stream");
    const text = await sse.text(); // the server closes the stream after the terminal event
    const events = [...text.matchAll(/^event: (\w+)$/gm)].map((m) => m[1]);
    expect(events[0]).toBe("job");
    expect(events.at(-1) === "completed" || text.includes('"status":"completed"')).toBe(true);
    if (events.includes("progress")) expect(text).toMatch(/"message":"(extract )?page \d+\/120"/);
    // Each event's id is its stream sequence; reconnecting with Last-Event-ID resumes after it.
    const ids = [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    if (ids.length >= 3) {
      const again = await stack.api(`/v1/jobs/${job_id}/events`, { headers: { "last-event-id": String(ids[1]) } });
      const rest = [...(await again.text()).matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
      expect(rest).toEqual(ids.slice(2));
    }
    const foreign = await stack.api(`/v1/jobs/${job_id}/events`, { tenant: "globex" });
    expect(foreign.status).toBe(404);
    // 120 pages, two stages: progress is coalesced to at most one event per 250 ms per stage
    // (plus the first and the last), not one per page.
    const progress = (await readJobEvents(stack.nats.url, job_id)).filter((e) => e.type === "progress");
    for (const stage of ["parse", "extract"]) {
      const times = progress.filter((e) => e.stage === stage).map((e) => Number(e.timeUnixMs));
      expect(times.length).toBeGreaterThan(0);
      expect(times.length).toBeLessThanOrEqual(3 + (Math.max(...times) - Math.min(...times)) / 250);
    }
  });

  it("extracts a file uploaded once by file_id, and hides it from other tenants", async () => {
    const up = await stack.api("/v1/files", { method: "POST", body: formWith(await makePdf(1)) });
    expect(up.status).toBe(201);
    const { file_id } = (await up.json()) as Json;
    expect(file_id).toMatch(/^file_[0-9a-f]{64}$/);
    const ok = await stack.api("/v1/extract", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ file_id }),
    });
    expect(ok.status).toBe(200);
    const other = await stack.api("/v1/extract", {
      method: "POST",
      tenant: "globex",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ file_id }),
    });
    expect(other.status).toBe(404);
    expect(((await other.json()) as Json).error.code).toBe("NOT_FOUND");
  });

  it("fetches file_url, following a redirect", async () => {
    const res = await stack.api("/v1/extract", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ file_url: `${filesUrl}/moved` }),
    });
    const body = (await res.json()) as Json;
    expect(res.status).toBe(200);
    expect(body.result.page_count).toBe(2);
  });

  it("returns the same job for a repeated Idempotency-Key, and 409 when the body differs", async () => {
    const pdf = await makePdf(1);
    const send = (fields: Record<string, string>) =>
      stack.api("/v1/extract", { method: "POST", headers: { "idempotency-key": "order-42" }, body: formWith(pdf, fields) });
    const first = (await (await send({ async: "true" })).json()) as Json;
    const second = await send({ async: "true" });
    expect(second.status).toBe(202);
    expect(((await second.json()) as Json).job_id).toBe(first.job_id);
    const changed = await send({ async: "true", pages: "1" });
    expect(changed.status).toBe(409);
    expect(((await changed.json()) as Json).error.details.job_id).toBe(first.job_id);
    expect(second.headers.get("x-request-id")).toMatch(/^req_/);
  });

  it("submits a job again under its claimed id when the first attempt claimed the Idempotency-Key but never recorded the job", async () => {
    const pdf = await makePdf(1);
    const send = async () => {
      const res = await stack.api("/v1/extract", {
        method: "POST",
        headers: { "idempotency-key": "lost-1" },
        body: formWith(pdf, { async: "true" }),
      });
      expect(res.status).toBe(202);
      return ((await res.json()) as Json).job_id as string;
    };
    const first = await send();
    await waitForJobEnd(stack, first);
    // Make the key's claim point at a job that was never recorded, as when the broker went away
    // between the claim and the job's first event: same request hash, another job id, claimed now.
    const nc = await connect({ servers: stack.nats.url });
    const subject = `$KV.quire_idempotency.${createHash("sha256").update("acme\nlost-1").digest("hex")}`;
    const stored = await (await jetstreamManager(nc)).streams.getMessage("KV_quire_idempotency", { last_by_subj: subject });
    const lost = `job_${"0".repeat(31)}1`;
    await jetstream(nc).publish(subject, JSON.stringify({ ...stored!.json<Json>(), jobId: lost }));
    await nc.close();

    expect(await send()).toBe(lost);
    expect((await waitForJobEnd(stack, lost)).status).toBe("completed");
    expect(await send()).toBe(lost); // recorded now: answered from the job, not submitted a third time
    expect((await readJobEvents(stack.nats.url, lost)).filter((e) => e.type === "accepted")).toHaveLength(1);
  });

  it("lists jobs newest first with status filter and cursor pagination", async () => {
    for (let i = 0; i < 3; i++) await stack.api("/v1/extract", { method: "POST", tenant: "globex", body: formWith(await makePdf(1)) });
    const first = (await (await stack.api("/v1/jobs?limit=2&status=completed", { tenant: "globex" })).json()) as Json;
    expect(first.jobs).toHaveLength(2);
    expect(first.next_cursor).toBeTruthy();
    const second = (await (
      await stack.api(`/v1/jobs?limit=2&status=completed&cursor=${encodeURIComponent(first.next_cursor)}`, { tenant: "globex" })
    ).json()) as Json;
    const ids = [...first.jobs, ...second.jobs].map((j: Json) => j.job_id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(3);
    expect(first.jobs[0].created_at >= first.jobs[1].created_at).toBe(true);
    const acme = (await (await stack.api("/v1/jobs?limit=100")).json()) as Json;
    expect(acme.jobs.some((j: Json) => ids.includes(j.job_id))).toBe(false);
  });

  it("cancels a running job: it ends canceled, and a second cancel is a 409", async () => {
    const res = await stack.api("/v1/extract", { method: "POST", body: formWith(await makePdf(400, 30), { async: "true" }) });
    const { job_id } = (await res.json()) as Json;
    const del = await stack.api(`/v1/jobs/${job_id}`, { method: "DELETE" });
    expect(del.status).toBe(200);
    const job = await waitForJobEnd(stack, job_id);
    expect(job.status).toBe("canceled");
    const again = await stack.api(`/v1/jobs/${job_id}`, { method: "DELETE" });
    expect(again.status).toBe(409);
    expect(((await again.json()) as Json).error.code).toBe("CONFLICT");
    const events = await readJobEvents(stack.nats.url, job_id);
    expect(events.filter((e) => ["completed", "failed", "canceled"].includes(e.type))).toHaveLength(1);
  });

  it("keeps every job across a job-status restart (the embedded store rebuilds from the stream)", async () => {
    const res = await stack.api("/v1/extract", { method: "POST", body: formWith(await makePdf(1)) });
    const { job_id } = (await res.json()) as Json;
    await stack.kill("job-status", "SIGTERM");
    await stack.start("job-status");
    const job = await waitForJobEnd(stack, job_id);
    expect(job.status).toBe("completed");
  });
});
