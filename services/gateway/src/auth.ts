import { createHash, timingSafeEqual } from "node:crypto";

export interface ApiKey {
  tenant: string;
  /** SHA-256 of the key; the key itself is not kept in memory after parsing. */
  digest: Buffer;
}

const TENANT = /^[A-Za-z0-9_-]{1,64}$/;
/**
 * Keys that are placeholders, not secrets: the shipped manifests' value and the words people
 * type while filling one in. A known key must never pass for a long one.
 */
const PLACEHOLDER = /replace|change-?me|example|placeholder|your[-_]?(api[-_]?)?key|insert|^(x+|0+|1234567890\w*|password\w*|secret\w*)$/i;

/** Parses `tenant:key,tenant2:key2`; throws with a message naming the bad entry. */
export function parseApiKeys(raw: string): ApiKey[] {
  const entries = raw
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new Error("QUIRE_API_KEYS has no entries; expected tenant:key[,tenant2:key2]");
  return entries.map((entry, i) => {
    const colon = entry.indexOf(":");
    const tenant = entry.slice(0, colon);
    const key = entry.slice(colon + 1);
    if (colon < 1 || !TENANT.test(tenant))
      throw new Error(`entry ${i + 1} must be tenant:key with a tenant of letters, digits, _ or - (max 64)`);
    if (key.length < 16) throw new Error(`entry ${i + 1} (tenant ${tenant}): the key must be at least 16 characters`);
    if (PLACEHOLDER.test(key))
      throw new Error(
        `entry ${i + 1} (tenant ${tenant}): the key is a placeholder, not a secret; generate one, e.g. openssl rand -base64 32`,
      );
    return { tenant, digest: digest(key) };
  });
}

const digest = (key: string): Buffer => createHash("sha256").update(key).digest();

/** `x-api-key: KEY` or `Authorization: Bearer KEY` → tenant, compared in constant time. */
export function authenticate(keys: readonly ApiKey[], headers: { get(name: string): string | undefined }): string | null {
  const bearer = headers.get("authorization")?.match(/^Bearer\s+(.+)$/i)?.[1];
  const presented = headers.get("x-api-key") ?? bearer;
  if (!presented) return null;
  const d = digest(presented.trim());
  let tenant: string | null = null;
  for (const k of keys) if (timingSafeEqual(k.digest, d)) tenant = k.tenant;
  return tenant;
}
