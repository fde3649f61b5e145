import type { KV, KvWatchEntry } from "@nats-io/kv";
import type { QueuedIterator } from "@nats-io/nats-core";
import type { Logger } from "@quire/runtime";
import type { Versioned } from "./store.js";

/** An in-memory copy of a KV bucket, kept current by a watch. */
export interface KvMirror<T> {
  /** Resolves once every value present at start has been loaded. */
  start(): Promise<void>;
  stop(): Promise<void>;
  values(): IterableIterator<[string, Versioned<T>]>;
  /** Drops a row we know is stale (we just replaced it), unless the watch already moved it on. */
  forget(key: string, revision: number): void;
}

export interface KvMirrorOptions<T> {
  /** For logs. */
  name: string;
  decode(bytes: Uint8Array): T;
  logger: Logger;
  /** Called after each change (and once after the initial load). */
  onChange?: () => void;
}

/**
 * Watches `kv` (last value of every key, then every change). Every replica sees the same
 * bucket, so compare-and-set on the revisions mirrored here is what keeps replicas from acting
 * on the same row twice. If the watch ends (server restart), it is re-opened from scratch.
 */
const LOAD_TIMEOUT_MS = 5_000;

export function createKvMirror<T>(kv: KV, opts: KvMirrorOptions<T>): KvMirror<T> {
  let rows = new Map<string, Versioned<T>>();
  let watch: QueuedIterator<KvWatchEntry> | undefined;
  let stopped = false;
  let loop: Promise<void> = Promise.resolve();

  function apply(into: Map<string, Versioned<T>>, e: KvWatchEntry): void {
    if (e.operation !== "PUT" || e.value.length === 0) {
      into.delete(e.key);
      return;
    }
    try {
      into.set(e.key, { value: opts.decode(e.value), revision: e.revision });
    } catch (err) {
      opts.logger.error({ err, key: e.key }, "undecodable KV value; ignored");
    }
  }

  /**
   * Opens a watch and loads into a fresh map, which replaces `rows` once it holds the revision
   * that was last at open time: a re-opened watch never shows readers a half-loaded bucket.
   */
  async function open(onLoaded: () => void): Promise<void> {
    const status = await kv.status();
    const { messages, last_seq: lastSeq } = status.streamInfo.state;
    const fresh = new Map<string, Versioned<T>>();
    let isLoaded = false;
    const loaded = () => {
      if (isLoaded) return;
      isLoaded = true;
      rows = fresh;
      onLoaded();
    };
    watch = await kv.watch();
    if (messages === 0) loaded();
    // A value that expires between status() and the watch would otherwise keep us waiting.
    const fallback = setTimeout(loaded, LOAD_TIMEOUT_MS).unref();
    const w = watch;
    loop = (async () => {
      for await (const e of w) {
        apply(fresh, e);
        // nats.js marks the last value of the initial load as an update already.
        if (e.isUpdate || e.revision >= lastSeq) loaded();
        if (isLoaded) opts.onChange?.();
      }
    })()
      .catch((err: unknown) => opts.logger.warn({ err, bucket: opts.name }, "KV watch failed"))
      .finally(() => {
        clearTimeout(fallback);
        if (!stopped) void reopen();
      });
  }

  async function reopen(): Promise<void> {
    while (!stopped) {
      try {
        await open(() => undefined);
        return;
      } catch (err) {
        opts.logger.warn({ err, bucket: opts.name }, "re-opening KV watch failed; retrying");
        await new Promise((r) => setTimeout(r, 1_000));
      }
    }
  }

  return {
    start: () =>
      new Promise<void>((resolve, reject) => {
        open(() => {
          resolve();
          opts.onChange?.();
        }).catch(reject);
      }),
    async stop() {
      stopped = true;
      watch?.stop();
      await loop;
    },
    values: () => rows.entries(),
    forget(key, revision) {
      if (rows.get(key)?.revision === revision) rows.delete(key);
    },
  };
}
