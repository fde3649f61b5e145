import { Writable } from "node:stream";
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type ConsumerMessages, type JsMsg } from "@nats-io/jetstream";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { connectNats, createLogger, type NatsConnection } from "../src/index.js";
import { superviseConsumer, type SupervisedConsumer } from "../src/nats/supervised-consumer.js";
import { startNatsServer, waitFor, type NatsServer } from "../src/testing/index.js";

describe("supervised consumer over a real nats-server", () => {
  let server: NatsServer;
  let nc: NatsConnection;
  let supervised: SupervisedConsumer | undefined;
  const lines: string[] = [];
  const logger = createLogger({
    service: "test",
    level: "info",
    destination: new Writable({ write: (chunk: Buffer, _enc, cb) => (lines.push(chunk.toString()), cb()) }),
  });
  let stream = 0;

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connectNats(server.url, { name: "supervised-consumer-test" });
  });
  afterEach(async () => {
    await supervised?.stop();
    supervised = undefined;
  });
  afterAll(async () => {
    await nc.drain();
    await server.stop();
  });

  /** A fresh stream with `count` messages 1..count on it; returns its name and subject. */
  async function streamWith(count: number): Promise<{ name: string; subject: string }> {
    const name = `S${++stream}`;
    const subject = `s${stream}.msg`;
    await (await jetstreamManager(nc)).streams.add({ name, subjects: [subject] });
    for (let i = 1; i <= count; i++) await jetstream(nc).publish(subject, String(i));
    return { name, subject };
  }

  it("reopens an ordered consumer whose iterator ended, right after the last message handled", async () => {
    const { name, subject } = await streamWith(3);
    const seen: number[] = [];
    const opened: ConsumerMessages[] = [];
    supervised = await superviseConsumer({
      name: "ordered",
      logger,
      reopenDelayMs: 50,
      handle: async (m) => void seen.push(Number(m.string())),
      open: async () => {
        const last = seen.at(-1) ?? 0;
        const iter = await (
          await jetstream(nc).consumers.get(name, { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: last + 1 })
        ).consume();
        opened.push(iter);
        return iter;
      },
    });
    await waitFor("the first three", () => seen.length === 3);
    opened[0]!.stop(); // the iterator ends, as a broken one would
    await waitFor("a reopen", () => supervised!.reopened() === 1);
    for (const n of [4, 5]) await jetstream(nc).publish(subject, String(n));
    await waitFor("all five", () => seen.length >= 5);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(opened).toHaveLength(2);
    expect(lines.some((l) => l.includes("consumer iterator ended unexpectedly"))).toBe(true);
  });

  it("survives a handler that throws: the durable consumer redelivers the message after ack_wait", async () => {
    const { name } = await streamWith(3);
    await (await jetstreamManager(nc)).consumers.add(name, { durable_name: "d", ack_policy: AckPolicy.Explicit, ack_wait: 500_000_000 });
    const handled: number[] = [];
    let thrown = 0;
    supervised = await superviseConsumer({
      name: "durable",
      logger,
      reopenDelayMs: 50,
      handle: async (m: JsMsg) => {
        const n = Number(m.string());
        if (n === 2 && thrown++ === 0) throw new Error("store unavailable");
        handled.push(n);
        m.ack();
      },
      open: async () => (await jetstream(nc).consumers.get(name, "d")).consume({ max_messages: 1 }),
    });
    await waitFor("every message handled", () => [1, 2, 3].every((n) => handled.includes(n)));
    expect(thrown).toBe(2); // the second sight of message 2 went through
    expect(supervised.reopened()).toBeGreaterThanOrEqual(1);
    expect(lines.some((l) => l.includes("consumer failed; reopening") && l.includes("store unavailable"))).toBe(true);
  });

  it("stops for good: nothing is handled after stop() resolves", async () => {
    const { name, subject } = await streamWith(1);
    const seen: string[] = [];
    supervised = await superviseConsumer({
      name: "stopping",
      logger,
      reopenDelayMs: 50,
      handle: async (m) => void seen.push(m.string()),
      open: async () => (await jetstream(nc).consumers.get(name)).consume(),
    });
    await waitFor("the first message", () => seen.length === 1);
    await supervised.stop();
    supervised = undefined;
    await jetstream(nc).publish(subject, "late");
    await new Promise((r) => setTimeout(r, 300));
    expect(seen).toEqual(["1"]);
  });

  it("fails at start when the consumer cannot be opened", async () => {
    await expect(
      superviseConsumer({
        name: "missing",
        logger,
        handle: async () => undefined,
        open: async () => (await jetstream(nc).consumers.get("NO_SUCH_STREAM", "nope")).consume(),
      }),
    ).rejects.toThrow(/stream not found/i);
  });
});
