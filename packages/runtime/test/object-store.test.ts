import { randomBytes } from "node:crypto";
import { jetstreamManager } from "@nats-io/jetstream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectNats, type NatsConnection } from "../src/index.js";
import { openBlobs, type Blobs } from "../src/nats/object-store.js";
import { ensureTopology, RESULTS_BUCKET } from "../src/nats/topology.js";
import { startNatsServer, type NatsServer } from "../src/testing/index.js";

describe("object store blobs over a real nats-server", () => {
  let server: NatsServer;
  let nc: NatsConnection;
  let blobs: Blobs;
  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connectNats(server.url, { name: "object-store-test" });
    await ensureTopology(nc, { retentionMs: 3_600_000, ackWaitMs: 30_000, maxDeliver: 5 });
    blobs = await openBlobs(nc, { readIdleMs: 500 });
  });
  afterAll(async () => {
    await nc.drain();
    await server.stop();
  });

  it("reads back what it stored, across many chunks, and null for a missing name", async () => {
    const data = randomBytes(1_500_000); // ~12 chunks of 128 KiB
    await blobs.put(blobs.results, "t/big.bin", data);
    expect(Buffer.compare(Buffer.from((await blobs.get(blobs.results, "t/big.bin"))!), data)).toBe(0);
    expect(await blobs.get(blobs.results, "t/missing.bin")).toBeNull();
  });

  it("fails a read whose chunks never come as retryable UNAVAILABLE instead of hanging", async () => {
    await blobs.put(blobs.results, "t/lost.bin", randomBytes(300_000));
    const info = await blobs.results.info("t/lost.bin");
    // The metadata stays, the chunks go: the chunk consumer will wait for data forever.
    await (await jetstreamManager(nc)).streams.purge(`OBJ_${RESULTS_BUCKET}`, { filter: `$O.${RESULTS_BUCKET}.C.${info!.nuid}` });
    const started = Date.now();
    await expect(blobs.get(blobs.results, "t/lost.bin")).rejects.toMatchObject({ code: "UNAVAILABLE", retryable: true });
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
