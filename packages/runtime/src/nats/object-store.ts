import { createHash } from "node:crypto";
import { Objm, type ObjectStore } from "@nats-io/obj";
import type { NatsConnection } from "@nats-io/nats-core";
import { ErrorCode, QuireError } from "../errors.js";
import { FILES_BUCKET, PERSISTED_BUCKET, RESULTS_BUCKET } from "./topology.js";

export const sha256Hex = (data: Uint8Array): string => createHash("sha256").update(data).digest("hex");

/**
 * The buckets: uploaded inputs, stage artifacts/results (kept for the retention period), and
 * the artifacts a request asked to keep (`persist: true`, no expiry).
 */
export interface Blobs {
  files: ObjectStore;
  results: ObjectStore;
  persisted: ObjectStore;
  put(store: ObjectStore, name: string, data: Uint8Array): Promise<void>;
  get(store: ObjectStore, name: string): Promise<Uint8Array | null>;
  has(store: ObjectStore, name: string): Promise<boolean>;
  /** A result or artifact by name, from the results bucket or, failing that, the persisted one. */
  getArtifact(name: string): Promise<Uint8Array | null>;
}

export interface BlobOptions {
  /**
   * A read that receives no chunk for this long is abandoned and fails as retryable
   * (UNAVAILABLE). nats.js reads an object through a push consumer that can stall without
   * ever failing; without this bound a stage would hang on it, heartbeating its message forever.
   * @default 15000
   */
  readIdleMs?: number;
}

export async function openBlobs(nc: NatsConnection, opts: BlobOptions = {}): Promise<Blobs> {
  const readIdleMs = opts.readIdleMs ?? 15_000;
  const objm = new Objm(nc);
  const files = await objm.open(FILES_BUCKET);
  const results = await objm.open(RESULTS_BUCKET);
  const persisted = await objm.open(PERSISTED_BUCKET);
  const blobs: Blobs = {
    files,
    results,
    persisted,
    async put(store, name, data) {
      await store.putBlob({ name }, data);
    },
    async getArtifact(name) {
      return (await blobs.get(results, name)) ?? (await blobs.get(persisted, name));
    },
    async get(store, name) {
      const found = await store.get(name);
      if (!found) return null;
      const reader = found.data.getReader();
      const chunks: Uint8Array[] = [];
      for (;;) {
        const next = await withIdleLimit(reader.read(), readIdleMs);
        if (next === null) {
          await reader.cancel().catch(() => undefined); // stops the chunk consumer
          throw new QuireError(ErrorCode.Unavailable, `reading ${name} from the object store stalled for ${readIdleMs} ms; retrying`);
        }
        if (next.done) break;
        chunks.push(next.value);
      }
      const failure = await found.error; // e.g. a digest mismatch
      if (failure) throw failure;
      return Buffer.concat(chunks);
    },
    async has(store, name) {
      const info = await store.info(name);
      return info !== null && !info.deleted;
    },
  };
  return blobs;
}

/** `p`, or null if it has not settled within `ms`. */
function withIdleLimit<T>(p: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const idle = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms)));
  return Promise.race([p, idle]).finally(() => clearTimeout(timer));
}
