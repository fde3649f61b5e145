import { fromBinary } from "@bufbuild/protobuf";
import { WebhookEndpointSchema, type WebhookEndpoint } from "@quire/contracts";
import type { Blobs, Keyring, Logger, NatsConnection } from "@quire/runtime";
import type { WebhookSettings } from "./config.js";
import { createDispatcher } from "./dispatcher.js";
import { createIntake } from "./intake.js";
import { createKvMirror } from "./kv-mirror.js";
import { createSender } from "./sender.js";
import { openNotifierStore } from "./store.js";

export interface NotifierDeps {
  nc: NatsConnection;
  blobs: Blobs;
  settings: WebhookSettings;
  /** Seals and opens the signing secrets kept at rest (QUIRE_SECRETS_KEY). */
  keyring: Keyring;
  logger: Logger;
}

export interface NotifierService {
  start(): Promise<void>;
  /** Stops taking events, lets attempts in flight finish within `graceMs`, closes connections. */
  stop(graceMs: number): Promise<void>;
}

/**
 * The notifier: intake (events → delivery records + due attempts) and dispatcher (due attempts
 * → signed HTTP POSTs), sharing only JetStream KV, so either can restart without the other
 * losing anything.
 */
export async function createNotifierService(deps: NotifierDeps): Promise<NotifierService> {
  const { settings, logger } = deps;
  const store = await openNotifierStore(deps.nc);
  const sender = createSender({ timeoutMs: settings.timeoutMs, allowPrivate: settings.allowPrivateTargets });
  const endpoints = createKvMirror<WebhookEndpoint>(store.endpoints, {
    name: "endpoints", decode: (b) => fromBinary(WebhookEndpointSchema, b), logger,
  });
  const intake = createIntake({ nc: deps.nc, store, endpoints, blobs: deps.blobs, settings, keyring: deps.keyring, logger });
  const dispatcher = createDispatcher({ store, sender, settings, keyring: deps.keyring, logger });
  return {
    async start() {
      // Endpoints first: an event handled before they are loaded would miss its registered targets.
      await endpoints.start();
      await dispatcher.start();
      await intake.start();
    },
    async stop(graceMs) {
      await intake.stop();
      await dispatcher.stop(graceMs);
      await endpoints.stop();
      await sender.close();
    },
  };
}
