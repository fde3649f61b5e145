import { describe, expect, it } from "vitest";
import { ConfigError } from "@quire/runtime";
import { loadConfig } from "./config.js";

describe("gateway config", () => {
  it("applies defaults", () => {
    const c = loadConfig({ QUIRE_API_KEYS: "acme:acme-key-0123456789" });
    expect(c.port).toBe(8080);
    expect(c.maxFileBytes).toBe(50 * 1024 * 1024);
    expect(c.fetch.allowPrivate).toBe(false);
    expect(c.apiKeys[0]?.tenant).toBe("acme");
  });

  it("lists every bad value, naming each variable", () => {
    try {
      loadConfig({ QUIRE_PORT: "eighty", QUIRE_ALLOW_PRIVATE_TARGETS: "maybe" });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const text = (err as ConfigError).problems.join("\n");
      expect(text).toMatch(/QUIRE_PORT/);
      expect(text).toMatch(/QUIRE_ALLOW_PRIVATE_TARGETS: expected "true" or "false"/);
      expect(text).toMatch(/QUIRE_API_KEYS is required/);
    }
  });

  it("explains a malformed QUIRE_API_KEYS", () => {
    expect(() => loadConfig({ QUIRE_API_KEYS: "acme" })).toThrow(/QUIRE_API_KEYS: entry 1 must be tenant:key/);
  });
});
