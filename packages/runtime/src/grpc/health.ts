import { BinaryReader, BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import { status, type Server, type ServiceDefinition, type sendUnaryData, type ServerUnaryCall } from "@grpc/grpc-js";

/**
 * The standard gRPC health check (grpc.health.v1.Health/Check), so Kubernetes `grpc` probes
 * and grpc_health_probe work. Its two messages have one field each, so they are encoded by
 * hand here rather than adding a generated copy of health.proto. `Watch` is not offered.
 *
 *   message HealthCheckRequest  { string service = 1; }
 *   message HealthCheckResponse { ServingStatus status = 1; }  // SERVING = 1, NOT_SERVING = 2
 */
export const HEALTH_SERVICE = "grpc.health.v1.Health";
const SERVING = 1;
const NOT_SERVING = 2;

// Objects, not bare values: grpc-js treats a falsy request ("" for the whole server) as missing.
export interface HealthCheckRequest {
  service: string;
}
export interface HealthCheckResponse {
  status: number;
}

export const healthDefinition: ServiceDefinition = {
  check: {
    path: `/${HEALTH_SERVICE}/Check`,
    requestStream: false,
    responseStream: false,
    requestSerialize: (req: HealthCheckRequest) =>
      Buffer.from(new BinaryWriter().tag(1, WireType.LengthDelimited).string(req.service).finish()),
    requestDeserialize: decodeRequest,
    responseSerialize: (res: HealthCheckResponse) => Buffer.from(new BinaryWriter().tag(1, WireType.Varint).int32(res.status).finish()),
    responseDeserialize: decodeResponse,
  },
};

/**
 * Adds Check to `server` for the named services ("" asks about the server as a whole); `probe`
 * throws when the server cannot serve (e.g. its store is down), answered NOT_SERVING.
 */
export function addHealthService(server: Server, services: readonly string[], probe: () => Promise<void>): void {
  const known = new Set(["", ...services]);
  server.addService(healthDefinition, {
    check: (call: ServerUnaryCall<HealthCheckRequest, HealthCheckResponse>, cb: sendUnaryData<HealthCheckResponse>) => {
      const { service } = call.request;
      if (!known.has(service)) {
        cb({ code: status.NOT_FOUND, details: `unknown service ${service.slice(0, 100)}` });
        return;
      }
      probe().then(
        () => cb(null, { status: SERVING }),
        () => cb(null, { status: NOT_SERVING }),
      );
    },
  });
}

function decodeRequest(buf: Buffer): HealthCheckRequest {
  const r = new BinaryReader(buf);
  let service = "";
  while (r.pos < r.len) {
    const [field, wireType] = r.tag();
    if (field === 1 && wireType === WireType.LengthDelimited) service = r.string();
    else r.skip(wireType, field);
  }
  return { service };
}

/** For clients (tests, tools): status 0 (UNKNOWN) when absent. */
export function decodeResponse(buf: Buffer): HealthCheckResponse {
  const r = new BinaryReader(buf);
  let s = 0;
  while (r.pos < r.len) {
    const [field, wireType] = r.tag();
    if (field === 1 && wireType === WireType.Varint) s = r.int32();
    else r.skip(wireType, field);
  }
  return { status: s };
}
