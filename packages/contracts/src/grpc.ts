import {
  create,
  fromBinary,
  toBinary,
  type DescFile,
  type DescMessage,
  type DescService,
  type MessageInitShape,
  type MessageShape,
} from "@bufbuild/protobuf";
import type { GenService, GenServiceMethods } from "@bufbuild/protobuf/codegenv2";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { credentials, makeGenericClientConstructor, type MethodDefinition, type ServiceDefinition } from "@grpc/grpc-js";

/**
 * Adapts a protobuf-es service descriptor to a @grpc/grpc-js service definition, so
 * grpc-js servers and clients encode with the generated code instead of proto-loader.
 */
export function toGrpcDefinition(service: DescService): ServiceDefinition {
  const def: Record<string, MethodDefinition<unknown, unknown>> = {};
  for (const m of service.methods) {
    def[m.localName] = {
      path: `/${service.typeName}/${m.name}`,
      requestStream: m.methodKind === "client_streaming" || m.methodKind === "bidi_streaming",
      responseStream: m.methodKind === "server_streaming" || m.methodKind === "bidi_streaming",
      requestSerialize: serializer(m.input),
      requestDeserialize: deserializer(m.input),
      responseSerialize: serializer(m.output),
      responseDeserialize: deserializer(m.output),
    };
  }
  return def;
}

/** Takes a message or a plain init object (`{ jobId }`), as clients write them. */
function serializer<D extends DescMessage>(desc: D): (v: unknown) => Buffer {
  return (v) => Buffer.from(toBinary(desc, create(desc, v as MessageShape<D>)));
}

function deserializer<D extends DescMessage>(desc: D): (b: Buffer) => MessageShape<D> {
  return (b) => fromBinary(desc, b);
}

/**
 * The encoded FileDescriptorSet of the files a service is defined in and everything they import,
 * from the generated code's embedded descriptors: what server reflection serves, so `grpcurl`
 * works without the .proto files.
 */
export function fileDescriptorSet(...services: DescService[]): Uint8Array {
  const seen = new Map<string, DescFile>();
  const visit = (f: DescFile): void => {
    if (seen.has(f.name)) return;
    for (const d of f.dependencies) visit(d);
    seen.set(f.name, f);
  };
  for (const s of services) visit(s.file);
  return toBinary(FileDescriptorSetSchema, create(FileDescriptorSetSchema, { file: [...seen.values()].map((f) => f.proto) }));
}

type UnaryCall<M> = M extends { methodKind: "unary"; input: infer I extends DescMessage; output: infer O extends DescMessage }
  ? (req: MessageInitShape<I>) => Promise<MessageShape<O>>
  : never;

/** A promise-based client of one of our internal services: one method per unary RPC, each call with a deadline. */
export type GrpcClient<R extends GenServiceMethods> = { [K in keyof R]: UnaryCall<R[K]> } & { close(): void };

export interface GrpcClientOptions {
  /** Deadline of each call. @default 5 s */
  timeoutMs?: number;
  /** What a failed call rejects with; by default grpc-js's ServiceError (status, details, trailers). */
  mapError?: (err: unknown) => unknown;
}

/** A plaintext grpc-js client of `service` at `address` ("host:port"), encoding with the generated code. */
export function createGrpcClient<R extends GenServiceMethods>(
  service: GenService<R>,
  address: string,
  opts: GrpcClientOptions = {},
): GrpcClient<R> {
  const { timeoutMs = 5_000, mapError = (e: unknown) => e } = opts;
  const Ctor = makeGenericClientConstructor(toGrpcDefinition(service), service.typeName);
  const client = new Ctor(address, credentials.createInsecure()) as unknown as Record<string, Function> & { close(): void };
  const out: Record<string, unknown> = { close: () => client.close() };
  for (const m of service.methods) {
    if (m.methodKind !== "unary") continue;
    out[m.localName] = (req: unknown) =>
      new Promise((resolve, reject) =>
        client[m.localName]!.call(client, req, { deadline: Date.now() + timeoutMs }, (err: unknown, res: unknown) =>
          err ? reject(mapError(err)) : resolve(res),
        ),
      );
  }
  return out as GrpcClient<R>;
}
