import { ServerCredentials, type Server } from "@grpc/grpc-js";

export interface ServingGrpc {
  /** The port actually bound (useful with ":0"). */
  port: number;
  /** Graceful: stops accepting calls, lets running ones finish for up to `graceMs`, then cuts them. */
  stop(graceMs?: number): Promise<void>;
}

/** Binds `server` to `address` ("host:port", plaintext: TLS ends at the ingress or mesh). */
export async function serveGrpc(server: Server, address: string): Promise<ServingGrpc> {
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(address, ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return {
    port,
    async stop(graceMs = 5_000) {
      const timer = setTimeout(() => server.forceShutdown(), graceMs);
      await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
      clearTimeout(timer);
    },
  };
}
