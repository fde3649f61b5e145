import { describe, expect, it } from "vitest";
import { authenticate, parseApiKeys } from "./auth.js";

const headers = (h: Record<string, string>) => ({ get: (n: string) => h[n.toLowerCase()] });

describe("API keys", () => {
  const keys = parseApiKeys("acme:acme-key-0123456789, globex:globex-key-0123456789");

  it("maps x-api-key and Bearer keys to their tenant", () => {
    expect(authenticate(keys, headers({ "x-api-key": "acme-key-0123456789" }))).toBe("acme");
    expect(authenticate(keys, headers({ authorization: "Bearer globex-key-0123456789" }))).toBe("globex");
  });

  it("returns null for a missing or unknown key", () => {
    expect(authenticate(keys, headers({}))).toBeNull();
    expect(authenticate(keys, headers({ "x-api-key": "acme-key-012345678" }))).toBeNull();
  });

  it("rejects malformed entries with a message naming the entry", () => {
    expect(() => parseApiKeys("acme")).toThrow(/entry 1 must be tenant:key/);
    expect(() => parseApiKeys("acme:short")).toThrow(/at least 16 characters/);
    expect(() => parseApiKeys(" , ")).toThrow(/no entries/);
  });

  it("refuses placeholder keys however long, the shipped manifests' one included", async () => {
    const { readFile } = await import("node:fs/promises");
    const manifest = await readFile(new URL("../../../deploy/base/config.yaml", import.meta.url), "utf8");
    const shipped = manifest.match(/QUIRE_API_KEYS: "([^"]+)"/)?.[1];
    expect(shipped).toBeDefined();
    expect(() => parseApiKeys(shipped as string)).toThrow(/placeholder, not a secret/);
    expect(() => parseApiKeys("acme:change-me-to-something-long")).toThrow(/placeholder/);
    expect(() => parseApiKeys("acme:your-api-key-goes-here-1")).toThrow(/placeholder/);
    expect(() => parseApiKeys("acme:xxxxxxxxxxxxxxxxxxxx")).toThrow(/placeholder/);
    expect(parseApiKeys("acme:Zq4v8LrT2mW9xK1pH7sD").map((k) => k.tenant)).toEqual(["acme"]);
  });
});
