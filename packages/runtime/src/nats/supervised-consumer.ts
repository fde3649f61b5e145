// A consume() loop that does not die quietly. nats.js recovers from most trouble inside one
// iterator (missed heartbeats, a recreated ordered consumer), but when the iterator itself ends
// or a handler throws, a bare `for await` simply stops, and the service goes on looking healthy
// while nothing is consumed any more (a projection that never advances, a notifier that never
// sends). Here every such end is logged and the consumer is opened again after a pause.
import { setTimeout as delay } from "node:timers/promises";
import type { ConsumerMessages, ConsumerNotification, JsMsg } from "@nats-io/jetstream";
import type { Logger } from "../logger.js";

export interface SupervisedConsumerOptions {
  /** Names the consumer in logs. */
  name: string;
  logger: Logger;
  /**
   * Opens the message iterator; called once at start and again after every unexpected end, so
   * it should resume where the handler got to (an ordered consumer's next sequence; a durable
   * consumer resumes by itself, its unacked messages coming back after ack_wait).
   */
  open(): Promise<ConsumerMessages>;
  /** Handles one message. A throw is treated like a broken iterator: closed, logged, reopened. */
  handle(m: JsMsg): Promise<void>;
  /** Pause before reopening. @default 1000 */
  reopenDelayMs?: number;
}

export interface SupervisedConsumer {
  /** Times the iterator was reopened after an unexpected end. */
  reopened(): number;
  /** Closes the iterator and waits for the message in hand to be handled. */
  stop(): Promise<void>;
}

/** Notifications worth a line in the log; the rest (next, heartbeat, flow control…) are routine. */
const NOTABLE: Partial<Record<ConsumerNotification["type"], "info" | "warn">> = {
  heartbeats_missed: "warn",
  consumer_not_found: "warn",
  stream_not_found: "warn",
  consumer_deleted: "warn",
  no_responders: "warn",
  exceeded_limits: "warn",
  ordered_consumer_recreated: "info",
  reset: "info",
};

/** Opens the consumer (a failure here is thrown: the service cannot start) and keeps it consuming until stop(). */
export async function superviseConsumer(opts: SupervisedConsumerOptions): Promise<SupervisedConsumer> {
  const log = opts.logger.child({ consumer: opts.name });
  const reopenDelayMs = opts.reopenDelayMs ?? 1_000;
  const stopping = new AbortController();
  let current = await opts.open();
  let reopened = 0;

  function watch(messages: ConsumerMessages): void {
    void (async () => {
      for await (const s of messages.status()) {
        const level = NOTABLE[s.type];
        if (level) log[level]({ status: s }, `consumer ${s.type.replaceAll("_", " ")}`);
      }
    })().catch(() => undefined);
  }

  async function drain(messages: ConsumerMessages): Promise<void> {
    try {
      for await (const m of messages) {
        if (stopping.signal.aborted) return;
        await opts.handle(m);
      }
      if (!stopping.signal.aborted) log.warn("consumer iterator ended unexpectedly; reopening");
    } catch (err) {
      if (!stopping.signal.aborted) log.error({ err }, "consumer failed; reopening");
      await messages.close().catch(() => undefined);
    }
  }

  const loop = (async () => {
    watch(current);
    await drain(current);
    while (!stopping.signal.aborted) {
      await delay(reopenDelayMs, undefined, { signal: stopping.signal }).catch(() => undefined);
      if (stopping.signal.aborted) return;
      try {
        current = await opts.open();
      } catch (err) {
        log.warn({ err }, "could not reopen the consumer; will try again");
        continue;
      }
      reopened++;
      log.info({ reopened }, "consumer reopened");
      watch(current);
      await drain(current);
    }
  })();

  return {
    reopened: () => reopened,
    async stop() {
      stopping.abort();
      await current.close().catch(() => undefined);
      await loop;
    },
  };
}
