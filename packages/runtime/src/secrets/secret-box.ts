import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { ErrorCode, QuireError } from "../errors.js";

/**
 * Secrets at rest (webhook signing secrets: a request's, and registered endpoints'), sealed with
 * AES-256-GCM under a key from QUIRE_SECRETS_KEY. The setting is a keyring, `kid:base64key`
 * entries separated by commas: the first seals, every one opens (the sealed value names its key),
 * so a key is rotated without downtime by adding the new one second, then first, then dropping
 * the old one once nothing sealed with it is kept. The additional data binds a sealed value to
 * what it belongs to (a job, an endpoint), so it cannot be moved to another.
 */
export interface Keyring {
  /** Key id that seals. */
  current: string;
  keys: ReadonlyMap<string, Buffer>;
}

const PREFIX = "qs1";

/** What a job's own webhook secret is sealed for. */
export const jobSecretContext = (jobId: string): string => `job:${jobId}`;
/** What a tenant's signing secret (the default for job webhooks) is sealed for. */
export const tenantSecretContext = (tenant: string): string => `tenant:${tenant}`;
/** What a registered endpoint's signing secret is sealed for. */
export const endpointSecretContext = (tenant: string, endpointId: string): string => `endpoint:${tenant}.${endpointId}`;
const KID = /^[A-Za-z0-9_-]{1,16}$/;
/** Words a placeholder is made of; a real key is 32 random bytes. */
const PLACEHOLDER = /replace|change-?me|example|placeholder/i;

/** Parses `kid:base64(32 bytes)[,kid2:…]`; throws a message naming the bad entry. */
export function parseKeyring(raw: string): Keyring {
  const entries = raw
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new Error("QUIRE_SECRETS_KEY has no entries; expected kid:base64key, e.g. k1:$(openssl rand -base64 32)");
  const keys = new Map<string, Buffer>();
  entries.forEach((entry, i) => {
    const colon = entry.indexOf(":");
    const kid = entry.slice(0, colon);
    const encoded = entry.slice(colon + 1);
    if (colon < 1 || !KID.test(kid)) throw new Error(`entry ${i + 1} must be kid:base64key with a kid of letters, digits, _ or - (max 16)`);
    if (PLACEHOLDER.test(encoded))
      throw new Error(`entry ${i + 1} (${kid}): the key is a placeholder; generate one with openssl rand -base64 32`);
    const key = Buffer.from(encoded, "base64");
    if (key.length !== 32) throw new Error(`entry ${i + 1} (${kid}): the key must be 32 bytes, base64-encoded (openssl rand -base64 32)`);
    if (keys.has(kid)) throw new Error(`entry ${i + 1}: key id ${kid} appears twice`);
    keys.set(kid, key);
  });
  return { current: entries[0]!.slice(0, entries[0]!.indexOf(":")), keys };
}

/** `plaintext` sealed for `context` (e.g. "job:<id>"): `qs1:<kid>:<iv>:<ciphertext+tag>`, base64url. */
export function seal(ring: Keyring, plaintext: string, context: string): string {
  const key = ring.keys.get(ring.current)!;
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return [PREFIX, ring.current, iv.toString("base64url"), body.toString("base64url")].join(":");
}

export const isSealed = (value: string): boolean => value.startsWith(`${PREFIX}:`);

/**
 * Opens a sealed value. A value that is not sealed (written before secrets were sealed) is
 * returned as it is, so an upgrade keeps working; it is sealed when next written.
 */
export function open(ring: Keyring, value: string, context: string): string {
  if (!isSealed(value)) return value;
  const [, kid, iv, body] = value.split(":");
  const key = kid ? ring.keys.get(kid) : undefined;
  if (!key || !iv || !body)
    throw new QuireError(
      ErrorCode.Internal,
      `a stored secret is sealed with key ${kid ?? "?"}, which QUIRE_SECRETS_KEY does not hold; add it back to the keyring`,
      {},
      { retryable: false },
    );
  const raw = Buffer.from(body, "base64url");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(context));
  decipher.setAuthTag(raw.subarray(raw.length - 16));
  try {
    return Buffer.concat([decipher.update(raw.subarray(0, raw.length - 16)), decipher.final()]).toString("utf8");
  } catch (err) {
    throw new QuireError(
      ErrorCode.Internal,
      "a stored secret does not open with its key (altered, or sealed for something else)",
      {},
      { cause: err, retryable: false },
    );
  }
}
