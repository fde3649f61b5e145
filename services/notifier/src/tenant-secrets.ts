import { randomBytes } from "node:crypto";
import type { KV } from "@nats-io/kv";
import { ErrorCode, QuireError, openSealed, seal, tenantSecretContext, type Keyring } from "@quire/runtime";

/** A fresh Standard Webhooks secret: whsec_ + base64 of 32 random bytes (the spec allows 24–64). */
export const newSecret = (): string => `whsec_${randomBytes(32).toString("base64")}`;

/**
 * Tenants' signing secrets: each signs every job webhook of its tenant whose request named no
 * webhook_secret, so no delivery goes out unsigned. Made on first use, kept sealed
 * (QUIRE_SECRETS_KEY), created with a compare-and-set so two notifiers agree on one.
 */
export interface TenantSecrets {
  /** The tenant's secret, made now if it has none. */
  secretOf(tenant: string): Promise<string>;
  /** The tenant's secret if it has one (never makes one). */
  existing(tenant: string): Promise<string | null>;
  /** Makes sure the tenant has one (known tenants cost nothing after the first). */
  ensure(tenant: string): Promise<void>;
}

export function createTenantSecrets(kv: KV, ring: Keyring): TenantSecrets {
  const known = new Set<string>(); // a secret once made is never replaced
  const existing = async (tenant: string): Promise<string | null> => {
    const e = await kv.get(tenant);
    return e && e.operation === "PUT" && e.value.length > 0 ? openSealed(ring, e.string(), tenantSecretContext(tenant)) : null;
  };
  async function secretOf(tenant: string): Promise<string> {
    const have = await existing(tenant);
    if (have) return have;
    const secret = newSecret();
    try {
      await kv.create(tenant, seal(ring, secret, tenantSecretContext(tenant)));
      return secret;
    } catch {
      const other = await existing(tenant); // another notifier made it first
      if (other) return other;
      throw new QuireError(ErrorCode.Unavailable, "could not store the tenant's signing secret; retry shortly");
    }
  }
  return {
    secretOf,
    existing,
    async ensure(tenant) {
      if (known.has(tenant)) return;
      await secretOf(tenant);
      known.add(tenant);
    },
  };
}
