import { describe, expect, it } from "vitest";
import { z } from "zod";
import { baseConfig, baseEnv, boolEnv, ConfigError, csvInts, parseConfig } from "./config.js";

describe("parseConfig", () => {
  it("treats empty strings as unset and applies defaults", () => {
    const c = baseConfig(parseConfig(baseEnv, { NATS_URL: "", QUIRE_LOG_LEVEL: "debug" }));
    expect(c.natsUrl).toBe("nats://127.0.0.1:4222");
    expect(c.logLevel).toBe("debug");
    expect(c.retentionMs).toBe(24 * 3_600_000);
  });

  it("reports every problem at once, one line per variable", () => {
    const err = (() => {
      try {
        parseConfig(baseEnv, { QUIRE_LOG_LEVEL: "loud", QUIRE_ACK_WAIT_MS: "-5" });
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect(err?.problems).toHaveLength(2);
    expect(err?.message).toMatch(/QUIRE_LOG_LEVEL: must be one of/);
    expect(err?.message).toMatch(/QUIRE_ACK_WAIT_MS: QUIRE_ACK_WAIT_MS must be > 0/);
  });

  it("parses booleans and integer lists strictly", () => {
    const s = z.object({ B: boolEnv, L: csvInts });
    expect(parseConfig(s, { B: "yes", L: "5, 10" })).toEqual({ B: true, L: [5, 10] });
    expect(() => parseConfig(s, { B: "perhaps", L: "1,x" })).toThrow(/B: expected "true" or "false"[\s\S]*L: expected comma-separated/);
  });
});
