import type { WebhookDue } from "@quire/contracts";
import { leaseMs, processDue, type AttemptDeps } from "./attempt.js";
import { createKvMirror, type KvMirror } from "./kv-mirror.js";
import { decodeDue, type Versioned } from "./store.js";

export interface Dispatcher {
  start(): Promise<void>;
  /** Stops starting attempts and waits up to `graceMs` for the ones in flight. */
  stop(graceMs: number): Promise<void>;
}

type Row = [key: string, row: Versioned<WebhookDue>];

/**
 * Runs due attempts. The due bucket is mirrored in memory by a KV watch, so finding what is due
 * costs no round trip; claiming it is a compare-and-set, so several notifier replicas can share
 * the bucket. Two limits keep one bad receiver from hurting the rest: attempts in flight per
 * process (`concurrency`) and per lane (`endpointConcurrency`, a lane being an endpoint or the
 * host of a job's webhook_url). A receiver that hangs holds at most its lane's slots, each for
 * at most the attempt timeout, and its retries wait in the bucket, not in front of anyone.
 */
export function createDispatcher(deps: AttemptDeps): Dispatcher {
  const log = deps.logger.child({ component: "dispatcher" });
  const { concurrency, endpointConcurrency, pollMs } = deps.settings;
  const lease = leaseMs(deps.settings);
  const inFlight = new Map<string, Promise<void>>();
  const lanes = new Map<string, number>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let pumpQueued = false;
  const due: KvMirror<WebhookDue> = createKvMirror(deps.store.due, { name: "due", decode: decodeDue, logger: log, onChange: schedulePump });

  /** Coalesces bursts of watch updates (e.g. the initial load) into one scan. */
  function schedulePump(): void {
    if (pumpQueued || stopped) return;
    pumpQueued = true;
    setImmediate(() => {
      pumpQueued = false;
      pump();
    });
  }

  function isReady([key, { value }]: Row, now: number): boolean {
    if (inFlight.has(key) || value.dueUnixMs > now) return false;
    // A claim older than the lease belongs to a sender that died; take it over.
    return !value.sending || now - value.claimedUnixMs > lease;
  }

  function pump(): void {
    if (stopped) return;
    const now = Date.now();
    const ready = [...due.values()].filter((r) => isReady(r, now)).sort((a, b) => a[1].value.dueUnixMs - b[1].value.dueUnixMs);
    for (const row of ready) {
      if (inFlight.size >= concurrency) return;
      if ((lanes.get(row[1].value.lane) ?? 0) >= endpointConcurrency) continue;
      launch(row);
    }
  }

  function launch([key, row]: Row): void {
    const lane = row.value.lane;
    lanes.set(lane, (lanes.get(lane) ?? 0) + 1);
    const run = processDue(key, row, deps)
      .catch((err: unknown) => {
        log.warn({ err, key }, "attempt bookkeeping failed; the lease will hand it to a retry");
        return "done" as const;
      })
      .then((result) => {
        // Once claimed, the row in KV has moved on (the watch brings its new revision): never
        // act on the old one again. An unclaimed row (transient NATS error) stays for the next tick.
        if (result === "done") due.forget(key, row.revision);
      })
      .finally(() => {
        inFlight.delete(key);
        const left = (lanes.get(lane) ?? 1) - 1;
        if (left > 0) lanes.set(lane, left);
        else lanes.delete(lane);
        schedulePump();
      });
    inFlight.set(key, run);
  }

  return {
    async start() {
      await due.start();
      timer = setInterval(pump, pollMs);
      log.info({ concurrency, endpointConcurrency, pending: [...due.values()].length }, "dispatcher started");
    },
    async stop(graceMs) {
      stopped = true;
      clearInterval(timer);
      const all = Promise.allSettled(inFlight.values());
      await Promise.race([all, new Promise((r) => setTimeout(r, graceMs).unref())]);
      await due.stop();
    },
  };
}
