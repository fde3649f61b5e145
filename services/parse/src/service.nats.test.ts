// The parse worker on a real nats-server: work message in, artifact + extract work out, events
// on the way; and a bad document ending the job as failed with its code.
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { EventType, JobEventSchema, JobKind, ParsedDocumentSchema, StageJobSchema, type JobEvent, type StageJob } from "@quire/contracts";
import {
  createLogger,
  createStageWorker,
  eventSubject,
  openPipeline,
  sha256Hex,
  workSubject,
  type Pipeline,
  type StageWorker,
} from "@quire/runtime";
import { startNatsServer, waitFor, type NatsServer } from "@quire/runtime/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";
import { createParseService } from "./service.js";
import { makeEncryptedPdf } from "./test-helpers/encrypted-pdf.js";
import { makeTwoPagePdf } from "./test-helpers/pdfs.js";

const logger = createLogger({ service: "parse-test", level: "silent" });
let nats: NatsServer;
let pipeline: Pipeline;
let parse: StageWorker;
let extract: StageWorker;
const handedToExtract: StageJob[] = [];

beforeAll(async () => {
  nats = await startNatsServer();
  const config = loadConfig({ NATS_URL: nats.url, QUIRE_PARSE_CONCURRENCY: "2", QUIRE_SHUTDOWN_GRACE_MS: "2000", QUIRE_METRICS_PORT: "0" });
  pipeline = await openPipeline(config, logger, "parse-test");
  parse = createParseService({ ...pipeline, logger, config });
  // A stand-in extract stage: records what parse handed over and completes the job.
  extract = createStageWorker(
    {
      stage: "extract",
      concurrency: 1,
      ackWaitMs: 30_000,
      maxDeliver: 3,
      handle: async (job, ctx) => {
        handedToExtract.push(job);
        await ctx.done({ resultRef: job.parsedRef });
      },
    },
    { ...pipeline, logger, drainMs: 1_000 },
  );
  await parse.start();
  await extract.start();
});

afterAll(async () => {
  await parse?.stop();
  await extract?.stop();
  await pipeline?.nc.drain();
  await nats?.stop();
});

/** Stores the file, subscribes to the job's events, publishes the parse work message. */
async function submit(jobId: string, pdf: Uint8Array, extract: { pages?: string; password?: string } = {}) {
  const fileRef = `acme/${sha256Hex(pdf)}`;
  await pipeline.blobs.put(pipeline.blobs.files, fileRef, pdf);
  const events: JobEvent[] = [];
  const sub = pipeline.nc.subscribe(eventSubject(jobId), { callback: (_e, m) => void events.push(fromBinary(JobEventSchema, m.data)) });
  const job = create(StageJobSchema, {
    jobId,
    tenantId: "acme",
    kind: JobKind.EXTRACT,
    fileRef,
    mediaType: "application/pdf",
    plan: [
      {
        stage: "parse",
        options: { case: "parse", value: { pages: extract.pages ?? "", password: extract.password ?? "", ocr: "auto", languages: [] } },
      },
      { stage: "extract" },
    ],
  });
  pipeline.nc.publish(workSubject("parse"), toBinary(StageJobSchema, job));
  const end = await waitFor(`job ${jobId} to end`, () => pipeline.events.ended(jobId).then((e) => e ?? undefined));
  await pipeline.nc.flush();
  sub.unsubscribe();
  return { end, events };
}

describe("parse worker on NATS", () => {
  it("stores the ParsedDocument, reports page progress and enqueues extract", async () => {
    const { end, events } = await submit("job_ok", await makeTwoPagePdf());
    expect(end.type).toBe(EventType.COMPLETED);
    const handed = handedToExtract.find((j) => j.jobId === "job_ok");
    expect(handed?.parsedRef).toMatch(/^acme\/parsed\/[0-9a-f]{64}$/);
    const stored = await pipeline.blobs.get(pipeline.blobs.results, handed!.parsedRef);
    const doc = fromBinary(ParsedDocumentSchema, stored!);
    expect(doc.pages.map((p) => p.items.map((i) => i.text).join(" "))).toEqual(["Quarterly Report Bottom of page one", "Second page text"]);
    const progress = events.filter((e) => e.type === EventType.PROGRESS && e.stage === "parse").map((e) => e.progress?.message);
    expect(progress).toEqual(["page 1/2", "page 2/2"]);
    expect(events.some((e) => e.type === EventType.STAGE_COMPLETED && e.stage === "parse")).toBe(true);
  });

  it("fails an encrypted PDF without its password with PDF_PASSWORD_REQUIRED, once", async () => {
    const { end } = await submit("job_locked", makeEncryptedPdf({ userPassword: "pw" }));
    expect(end.type).toBe(EventType.FAILED);
    expect(end.error).toMatchObject({ code: "PDF_PASSWORD_REQUIRED" });
    expect(handedToExtract.some((j) => j.jobId === "job_locked")).toBe(false);
  });

  it("parses it with the password", async () => {
    const { end } = await submit("job_unlocked", makeEncryptedPdf({ userPassword: "pw", text: "Unlocked" }), { password: "pw" });
    expect(end.type).toBe(EventType.COMPLETED);
  });
});
