import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { isSealed, open, parseKeyring, seal } from "./secret-box.js";

const key = () => randomBytes(32).toString("base64");

describe("secret box", () => {
  const old = `k1:${key()}`;
  const now = `k2:${key()}`;

  it("seals so that nothing of the secret shows, and opens it again", () => {
    const ring = parseKeyring(old);
    const sealed = seal(ring, "whsec_c2VjcmV0LWJ5dGVzLWhlcmU=", "job:job_1");
    expect(isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain("c2VjcmV0");
    expect(seal(ring, "whsec_c2VjcmV0LWJ5dGVzLWhlcmU=", "job:job_1")).not.toBe(sealed); // a fresh IV each time
    expect(open(ring, sealed, "job:job_1")).toBe("whsec_c2VjcmV0LWJ5dGVzLWhlcmU=");
  });

  it("refuses a sealed value moved to another context, or altered", () => {
    const ring = parseKeyring(old);
    const sealed = seal(ring, "whsec_x", "endpoint:acme.ep_1");
    expect(() => open(ring, sealed, "endpoint:globex.ep_1")).toThrow(/does not open/);
    const parts = sealed.split(":");
    const body = Buffer.from(parts[3]!, "base64url");
    body[0] = body[0]! ^ 1;
    expect(() => open(ring, [...parts.slice(0, 3), body.toString("base64url")].join(":"), "endpoint:acme.ep_1")).toThrow(/does not open/);
  });

  it("rotates: the first key seals, an older one still opens what it sealed, a dropped one says which key is missing", () => {
    const before = seal(parseKeyring(old), "whsec_old", "job:j");
    const rotated = parseKeyring(`${now},${old}`);
    expect(rotated.current).toBe("k2");
    expect(open(rotated, before, "job:j")).toBe("whsec_old");
    expect(seal(rotated, "whsec_new", "job:j").split(":")[1]).toBe("k2");
    expect(() => open(parseKeyring(now), before, "job:j")).toThrow(/sealed with key k1, which QUIRE_SECRETS_KEY does not hold/);
  });

  it("reads a value stored before secrets were sealed as it is", () => {
    expect(open(parseKeyring(old), "whsec_legacy", "job:j")).toBe("whsec_legacy");
  });

  it("explains a bad keyring", () => {
    expect(() => parseKeyring("")).toThrow(/no entries/);
    expect(() => parseKeyring("nokid")).toThrow(/kid:base64key/);
    expect(() => parseKeyring(`k1:${Buffer.alloc(16).toString("base64")}`)).toThrow(/32 bytes/);
    expect(() => parseKeyring(`${old},${old}`)).toThrow(/appears twice/);
  });
});
