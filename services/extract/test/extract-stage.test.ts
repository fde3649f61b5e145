/** The extract stage on a real nats-server: work message in, extraction stored, job completed. */
import { create, toBinary } from "@bufbuild/protobuf";
import { EventType, JobKind, ParsedDocumentSchema, StageJobSchema, type Extraction } from "@quire/contracts";
import { createLogger, openPipeline, workSubject, type Pipeline, type StageWorker } from "@quire/runtime";
import { startNatsServer, waitFor, type NatsServer } from "@quire/runtime/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { createExtractService } from "../src/service.js";
import { doc, item, page, paragraph, words } from "./page-builder.js";

const parsed = doc(
  page([item("Stage Test", 72, 60, { size: 20 }), ...paragraph([words("a", 80), words("b", 40)], 72, 100)]),
  page(paragraph([words("c", 80)], 72, 100), { pageNumber: 2 }),
);

describe("extract stage over NATS", () => {
  let server: NatsServer;
  let pipeline: Pipeline;
  let worker: StageWorker;

  beforeAll(async () => {
    server = await startNatsServer();
    const config = loadConfig({ NATS_URL: server.url, QUIRE_LOG_LEVEL: "silent", QUIRE_METRICS_PORT: "0" });
    const logger = createLogger({ service: "extract-test", level: "silent" });
    pipeline = await openPipeline(config, logger, "extract-test");
    worker = createExtractService({ ...pipeline, logger, config: { ...config, shutdownGraceMs: 2_000 } });
    await worker.start();
  });

  afterAll(async () => {
    await worker?.stop();
    await pipeline?.nc.drain();
    await server?.stop();
  });

  const submit = (jobId: string, parsedRef: string) =>
    pipeline.nc.publish(
      workSubject("extract"),
      toBinary(
        StageJobSchema,
        create(StageJobSchema, {
          jobId,
          tenantId: "acme",
          kind: JobKind.EXTRACT,
          parsedRef,
          plan: [{ stage: "parse" }, { stage: "extract" }],
          step: 1,
        }),
      ),
    );

  const ended = (jobId: string) => waitFor(`job ${jobId} to end`, () => pipeline.events.ended(jobId).then((e) => e ?? undefined));

  it("stores the extraction in the results bucket and completes the job with its reference", async () => {
    await pipeline.blobs.put(pipeline.blobs.results, "acme/parsed/one", toBinary(ParsedDocumentSchema, parsed));
    const jobId = `job_${"a".repeat(32)}`;
    submit(jobId, "acme/parsed/one");
    const end = await ended(jobId);
    expect(end.type).toBe(EventType.COMPLETED);
    expect(end.resultRef).toBe(`acme/extractions/ext_${"a".repeat(32)}.json`);
    const bytes = await pipeline.blobs.get(pipeline.blobs.results, end.resultRef);
    const extraction = JSON.parse(new TextDecoder().decode(bytes ?? new Uint8Array())) as Extraction;
    expect(extraction).toMatchObject({ extraction_id: `ext_${"a".repeat(32)}`, page_count: 2 });
    expect(extraction.markdown.startsWith("# Stage Test\n\n")).toBe(true);
  });

  it("retries a job whose parse artifact has not arrived yet, then completes it", async () => {
    submit("job_stage_2", "acme/parsed/late");
    await new Promise((r) => setTimeout(r, 300));
    expect(await pipeline.events.ended("job_stage_2")).toBeNull();
    await pipeline.blobs.put(pipeline.blobs.results, "acme/parsed/late", toBinary(ParsedDocumentSchema, parsed));
    const end = await ended("job_stage_2");
    expect(end.type).toBe(EventType.COMPLETED);
  });

  it("fails a job whose artifact is corrupt, without retrying it", async () => {
    await pipeline.blobs.put(pipeline.blobs.results, "acme/parsed/bad", new Uint8Array([0xff, 0xff, 0xff]));
    submit("job_stage_3", "acme/parsed/bad");
    const end = await ended("job_stage_3");
    expect(end.type).toBe(EventType.FAILED);
    expect(end.error?.code).toBe("INTERNAL");
  });
});
