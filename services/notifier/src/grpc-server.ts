import { create } from "@bufbuild/protobuf";
import {
  CreateWebhookEndpointResponseSchema,
  DeleteWebhookEndpointResponseSchema,
  GetSigningSecretResponseSchema,
  ListWebhookDeliveriesResponseSchema,
  ListWebhookEndpointsResponseSchema,
  PrepareJobWebhookResponseSchema,
  RetryWebhookDeliveryResponseSchema,
  RotateWebhookSecretResponseSchema,
  WebhooksService,
  toGrpcDefinition,
  type CreateWebhookEndpointRequest,
  type GetSigningSecretRequest,
  type ListWebhookDeliveriesRequest,
  type ListWebhookEndpointsRequest,
  type PrepareJobWebhookRequest,
  type RetryWebhookDeliveryRequest,
  type WebhookEndpointRef,
} from "@quire/contracts";
import { addHealthService, serveGrpc, unaryHandler as unary, type Logger, type ServingGrpc } from "@quire/runtime";
import { Server, type UntypedServiceImplementation } from "@grpc/grpc-js";
import type { Registry } from "./registry.js";

/** Serves WebhooksService and grpc.health.v1.Health on `address` ("host:port"). */
export async function startWebhooksServer(
  address: string,
  registry: Registry,
  logger: Logger,
  healthy: () => Promise<void>,
): Promise<ServingGrpc> {
  const server = new Server();
  server.addService(toGrpcDefinition(WebhooksService), implementation(registry, logger.child({ component: "grpc" })));
  addHealthService(server, [WebhooksService.typeName], healthy);
  const serving = await serveGrpc(server, address);
  logger.info({ address, port: serving.port }, "gRPC WebhooksService listening");
  return serving;
}

function implementation(r: Registry, log: Logger): UntypedServiceImplementation {
  return {
    createWebhookEndpoint: unary(log, "CreateWebhookEndpoint", async (req: CreateWebhookEndpointRequest) =>
      create(CreateWebhookEndpointResponseSchema, await r.createEndpoint(req.tenantId, req.url, req.events, req.description)),
    ),
    listWebhookEndpoints: unary(log, "ListWebhookEndpoints", async (req: ListWebhookEndpointsRequest) =>
      create(ListWebhookEndpointsResponseSchema, { endpoints: await r.listEndpoints(req.tenantId) }),
    ),
    getWebhookEndpoint: unary(log, "GetWebhookEndpoint", (req: WebhookEndpointRef) => r.getEndpoint(req.tenantId, req.endpointId)),
    deleteWebhookEndpoint: unary(log, "DeleteWebhookEndpoint", async (req: WebhookEndpointRef) =>
      create(DeleteWebhookEndpointResponseSchema, { endpointId: await r.deleteEndpoint(req.tenantId, req.endpointId) }),
    ),
    rotateWebhookSecret: unary(log, "RotateWebhookSecret", async (req: WebhookEndpointRef) =>
      create(RotateWebhookSecretResponseSchema, await r.rotateSecret(req.tenantId, req.endpointId)),
    ),
    listWebhookDeliveries: unary(log, "ListWebhookDeliveries", async (req: ListWebhookDeliveriesRequest) =>
      create(ListWebhookDeliveriesResponseSchema, {
        deliveries: await r.listDeliveries(req.tenantId, { endpointId: req.endpointId, jobId: req.jobId, limit: req.limit }),
      }),
    ),
    retryWebhookDelivery: unary(log, "RetryWebhookDelivery", async (req: RetryWebhookDeliveryRequest) =>
      create(RetryWebhookDeliveryResponseSchema, {
        deliveryId: req.deliveryId,
        nextAttemptUnixMs: await r.retryDelivery(req.tenantId, req.deliveryId),
      }),
    ),
    getSigningSecret: unary(log, "GetSigningSecret", async (req: GetSigningSecretRequest) =>
      create(GetSigningSecretResponseSchema, { secret: await r.signingSecret(req.tenantId) }),
    ),
    prepareJobWebhook: unary(log, "PrepareJobWebhook", async (req: PrepareJobWebhookRequest) =>
      create(PrepareJobWebhookResponseSchema, { secretRef: await r.prepareJobWebhook(req.tenantId, req.jobId, req.secret) }),
    ),
  };
}
