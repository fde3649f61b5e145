import { connect, type NatsConnection } from "@nats-io/transport-node";
import type { Logger } from "../logger.js";
import { ErrorCode, QuireError } from "../errors.js";

export type { NatsConnection } from "@nats-io/transport-node";

export interface ConnectOptions {
  logger: Logger;
  /** Name shown in the server's connection list, e.g. "quire-parse". */
  name: string;
  /** Give up after this long when the server is not there at start-up. @default 10_000 */
  connectTimeoutMs?: number;
}

/** Connects and keeps reconnecting for ever; status changes are logged. */
export async function connectNats(url: string, opts: ConnectOptions): Promise<NatsConnection> {
  let nc: NatsConnection;
  try {
    nc = await connect({
      servers: url.split(",").map((s) => s.trim()),
      name: opts.name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      timeout: opts.connectTimeoutMs ?? 10_000,
      waitOnFirstConnect: true,
    });
  } catch (err) {
    throw new QuireError(
      ErrorCode.Unavailable,
      `cannot connect to NATS at ${url}: start nats-server with JetStream (-js) or set NATS_URL`,
      {},
      { cause: err },
    );
  }
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === "disconnect" || s.type === "reconnect" || s.type === "error")
        opts.logger.warn({ status: s.type }, "nats connection status");
    }
  })();
  return nc;
}
