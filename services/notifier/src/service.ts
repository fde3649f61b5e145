import { fromBinary } from "@bufbuild/protobuf";
import { WebhookEndpointSchema, type WebhookEndpoint } from "@quire/contracts";
import type { Blobs, Keyring, Logger, NatsConnection, ServingGrpc } from "@quire/runtime";
import type { WebhookSettings } from "./config.js";
import { createDispatcher } from "./dispatcher.js";
import { createIntake } from "./intake.js";
import { createKvMirror } from "./kv-mirror.js";
import { createSender } from "./sender.js";
import { startWebhooksServer } from "./grpc-server.js";
import { createRegistry } from "./registry.js";
import { openNotifierStore } from "./store.js";
import { createTenantSecrets } from "./tenant-secrets.js";

export interface NotifierDeps {
  nc: NatsConnection;
  /** How long the delivery log, job records and request secrets are kept. */
  retentionMs: number;
  /** Where WebhooksService listens ("host:port"). */
  grpcAddr: string;
  blobs: Blobs;
  settings: WebhookSettings;
  /** Seals and opens the signing secrets kept at rest (QUIRE_SECRETS_KEY). */
  keyring: Keyring;
  logger: Logger;
}

export interface NotifierService {
  start(): Promise<void>;
  /** Stops taking events and calls, lets attempts in flight finish within `graceMs`, closes connections. */
  stop(graceMs: number): Promise<void>;
  /** The port WebhooksService listens on (after start). */
  grpcPort(): number;
}

/**
 * The notifier: intake (events → delivery records + due attempts), dispatcher (due attempts →
 * signed HTTP POSTs) and the registry served as WebhooksService (endpoints, rotation, the
 * delivery log, replays, signing secrets), sharing only JetStream KV, so any part or replica can
 * restart without the others losing anything.
 */
export async function createNotifierService(deps: NotifierDeps): Promise<NotifierService> {
  const { settings, logger } = deps;
  const store = await openNotifierStore(deps.nc, deps.retentionMs);
  const tenantSecrets = createTenantSecrets(store.tenantSecrets, deps.keyring);
  const registry = createRegistry({ store, keyring: deps.keyring, tenantSecrets, rotationOverlapMs: settings.rotationOverlapMs });
  let grpc: ServingGrpc | undefined;
  const sender = createSender({ timeoutMs: settings.timeoutMs, allowPrivate: settings.allowPrivateTargets });
  const endpoints = createKvMirror<WebhookEndpoint>(store.endpoints, {
    name: "endpoints",
    decode: (b) => fromBinary(WebhookEndpointSchema, b),
    logger,
  });
  const intake = createIntake({ nc: deps.nc, store, endpoints, blobs: deps.blobs, settings, keyring: deps.keyring, tenantSecrets, logger });
  const dispatcher = createDispatcher({ store, sender, settings, keyring: deps.keyring, logger });
  return {
    async start() {
      // Endpoints first: an event handled before they are loaded would miss its registered targets.
      await endpoints.start();
      await dispatcher.start();
      await intake.start();
      grpc = await startWebhooksServer(deps.grpcAddr, registry, logger, async () => void (await store.endpoints.status()));
    },
    grpcPort: () => grpc?.port ?? 0,
    async stop(graceMs) {
      await grpc?.stop(2_000);
      await intake.stop();
      await dispatcher.stop(graceMs);
      await endpoints.stop();
      await sender.close();
    },
  };
}
