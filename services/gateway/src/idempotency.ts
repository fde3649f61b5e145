import { Kvm, type KV } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/nats-core";
import { ErrorCode, IDEMPOTENCY_BUCKET, QuireError, sha256Hex } from "@quire/runtime";

export interface IdempotencyClaim {
  /** The job this key belongs to. */
  jobId: string;
  /** True when this request created it; false when an earlier request with the key did. */
  fresh: boolean;
  /** When the key was first claimed (epoch ms): the KV entry's own timestamp. */
  claimedAt: number;
}

export interface Idempotency {
  /**
   * Binds `key` (per tenant) to `jobId` for 24 h. A later request with the same key and the
   * same body gets the first job back; the same key with a different body is a 409. With
   * `windowMs`, a claim older than that is taken over (compare-and-set) for `jobId`: a key that
   * only dedupes retries (the content-hash keys of the vendor routes) stays short-lived.
   */
  claim(tenant: string, key: string, requestHash: string, jobId: string, windowMs?: number): Promise<IdempotencyClaim>;
}

const hash = (s: string): string => sha256Hex(Buffer.from(s, "utf8"));

export async function createIdempotency(nc: NatsConnection): Promise<Idempotency> {
  const kv: KV = await new Kvm(nc).open(IDEMPOTENCY_BUCKET);
  return {
    async claim(tenant, key, requestHash, jobId, windowMs) {
      if (key.length > 255) throw new QuireError(ErrorCode.InvalidArgument, "Idempotency-Key must be at most 255 characters");
      const k = hash(`${tenant}\n${key}`);
      try {
        await kv.create(k, JSON.stringify({ jobId, requestHash }));
        return { jobId, fresh: true, claimedAt: Date.now() };
      } catch {
        const entry = await kv.get(k);
        if (!entry) throw new QuireError(ErrorCode.Unavailable, "idempotency store unavailable; retry");
        const prior = entry.json<{ jobId: string; requestHash: string }>();
        if (windowMs !== undefined && Date.now() - entry.created.getTime() > windowMs) {
          try {
            await kv.update(k, JSON.stringify({ jobId, requestHash }), entry.revision);
            return { jobId, fresh: true, claimedAt: Date.now() };
          } catch {
            // A concurrent request took it over first: it is that request's job now.
            const now = await kv.get(k);
            if (!now) throw new QuireError(ErrorCode.Unavailable, "idempotency store unavailable; retry");
            return { jobId: now.json<{ jobId: string }>().jobId, fresh: false, claimedAt: now.created.getTime() };
          }
        }
        if (prior.requestHash !== requestHash)
          throw new QuireError(ErrorCode.Conflict, "this Idempotency-Key was already used with a different request body; use a new key", {
            job_id: prior.jobId,
          });
        return { jobId: prior.jobId, fresh: false, claimedAt: entry.created.getTime() };
      }
    },
  };
}

/** A stable digest of what defines the job: the stored file and the validated options. */
export function requestHash(fileRef: string, options: unknown): string {
  return hash(JSON.stringify([fileRef, options]));
}
