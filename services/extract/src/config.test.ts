import { ConfigError } from "@quire/runtime";
import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";

describe("loadConfig", () => {
  it("defaults to two concurrent jobs on top of the shared settings", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ concurrency: 2, natsUrl: "nats://127.0.0.1:4222", ackWaitMs: 30_000, maxDeliver: 5 });
  });

  it("reads QUIRE_EXTRACT_CONCURRENCY and rejects nonsense naming the variable", () => {
    expect(loadConfig({ QUIRE_EXTRACT_CONCURRENCY: "8" }).concurrency).toBe(8);
    expect(() => loadConfig({ QUIRE_EXTRACT_CONCURRENCY: "0" })).toThrow(ConfigError);
    expect(() => loadConfig({ QUIRE_EXTRACT_CONCURRENCY: "lots" })).toThrow(/QUIRE_EXTRACT_CONCURRENCY/u);
  });
});
