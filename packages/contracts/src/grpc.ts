import { create, fromBinary, toBinary, type DescFile, type DescMessage, type DescService, type MessageShape } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import type { MethodDefinition, ServiceDefinition } from "@grpc/grpc-js";

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
