import { WebhooksService, createGrpcClient } from "@quire/contracts";
import { fromGrpcError } from "@quire/runtime";

/**
 * A client of the notifier's WebhooksService: the gateway reads and writes no webhook record
 * itself. The notifier's errors arrive as the same QuireErrors (NOT_FOUND, CONFLICT, …); a
 * notifier that does not answer is UNAVAILABLE with what to check.
 */
export function createWebhooksClient(address: string) {
  return createGrpcClient(WebhooksService, address, {
    mapError: (err) => fromGrpcError(err, `the notifier's WebhooksService (${address}, QUIRE_NOTIFIER_GRPC_ADDR)`),
  });
}
export type WebhooksClient = ReturnType<typeof createWebhooksClient>;
