import { randomBytes } from "node:crypto";
import type { KV } from "@nats-io/kv";
import { ErrorCode, QuireError, openSealed, seal, tenantSecretContext, type Keyring } from "@quire/runtime";

/** A fresh Standard Webhooks secret: whsec_ + base64 of 32 random bytes. */
export const newSecret = (): string => `whsec_${randomBytes(32).toString("base64")}`;

/**
 * The tenant's signing secret, made on first use: it signs every job webhook whose request named
 * no webhook_secret, so no delivery goes out unsigned. Kept sealed (QUIRE_SECRETS_KEY) in the
 * tenant-secrets bucket; created with a compare-and-set so two gateways agree on one.
 */
export async function tenantSigningSecret(kv: KV, ring: Keyring, tenant: string): Promise<string> {
  const read = async (): Promise<string | null> => {
    const e = await kv.get(tenant);
    return e && e.operation === "PUT" && e.value.length > 0 ? openSealed(ring, e.string(), tenantSecretContext(tenant)) : null;
  };
  const have = await read();
  if (have) return have;
  const secret = newSecret();
  try {
    await kv.create(tenant, seal(ring, secret, tenantSecretContext(tenant)));
    return secret;
  } catch {
    const other = await read(); // another gateway made it first
    if (other) return other;
    throw new QuireError(ErrorCode.Unavailable, "could not store the tenant's signing secret; retry shortly");
  }
}
