import { describe, expect, it } from "vitest";
import { loadConfig, redact } from "./config.js";

describe("job-status config", () => {
  it("defaults to the embedded store on 127.0.0.1:50052 with a 30 s deadline sweep", () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ mongodbUri: null, grpcAddr: "127.0.0.1:50052", sweepIntervalMs: 30_000, maxDeliver: 5 });
    expect(c.retentionMs).toBe(24 * 3_600_000);
  });

  it("takes MongoDB, the gRPC address and the sweep interval from the environment", () => {
    const c = loadConfig({
      MONGODB_URI: "mongodb://mongo:27017/quire",
      QUIRE_JOB_STATUS_GRPC_ADDR: "0.0.0.0:50051",
      QUIRE_SWEEP_INTERVAL_MS: "5000",
    });
    expect(c).toMatchObject({ mongodbUri: "mongodb://mongo:27017/quire", grpcAddr: "0.0.0.0:50051", sweepIntervalMs: 5_000 });
  });

  it("treats an empty MONGODB_URI as unset and rejects a bad interval by name", () => {
    expect(loadConfig({ MONGODB_URI: "" }).mongodbUri).toBeNull();
    expect(() => loadConfig({ QUIRE_SWEEP_INTERVAL_MS: "soon" })).toThrow(/QUIRE_SWEEP_INTERVAL_MS/);
  });

  it("never logs MongoDB credentials", () => {
    expect(redact("mongodb://app:s3cret@db1:27017,db2:27017/quire")).toBe("mongodb://***@db1:27017,db2:27017/quire");
    expect(redact("mongodb://db:27017/quire")).toBe("mongodb://db:27017/quire");
  });
});
