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
});
