import { createHash } from "node:crypto";
import { Objm, type ObjectStore } from "@nats-io/obj";
import type { NatsConnection } from "@nats-io/nats-core";
import { FILES_BUCKET, RESULTS_BUCKET } from "./topology.js";

export const sha256Hex = (data: Uint8Array): string => createHash("sha256").update(data).digest("hex");

/** The two buckets: uploaded inputs and stage artifacts/results. Objects are content-addressed. */
export interface Blobs {
  files: ObjectStore;
  results: ObjectStore;
  put(store: ObjectStore, name: string, data: Uint8Array): Promise<void>;
  get(store: ObjectStore, name: string): Promise<Uint8Array | null>;
  has(store: ObjectStore, name: string): Promise<boolean>;
}

export async function openBlobs(nc: NatsConnection): Promise<Blobs> {
  const objm = new Objm(nc);
  const files = await objm.open(FILES_BUCKET);
  const results = await objm.open(RESULTS_BUCKET);
  return {
    files,
    results,
    async put(store, name, data) {
      await store.putBlob({ name }, data);
    },
    async get(store, name) {
      return store.getBlob(name);
    },
    async has(store, name) {
      const info = await store.info(name);
      return info !== null && !info.deleted;
    },
  };
}
