import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { startNatsServer, waitFor, type NatsServer } from "@quire/runtime/testing";

const root = path.resolve(import.meta.dirname, "..");
export const SERVICES = ["job-status", "parse", "extract", "split", "schema", "notifier", "gateway"] as const;
export type ServiceName = (typeof SERVICES)[number];

export const TENANTS = { acme: "acme-key-0123456789abcdef", globex: "globex-key-0123456789abcdef" } as const;

export interface Stack {
  url: string;
  /** host:port of the gateway's gRPC API. */
  grpcAddress: string;
  /** The broker; replaced by startNats(). */
  nats: NatsServer;
  env: Record<string, string>;
  /** Starts (or restarts) one service process, with `env` over the stack's, and waits until it logs "ready"/"listening". */
  start(name: ServiceName, env?: Record<string, string>): Promise<void>;
  kill(name: ServiceName, signal: NodeJS.Signals): Promise<void>;
  /** Port of the service's Prometheus /metrics endpoint. */
  metricsPort(name: ServiceName): number;
  /** Lines the service printed (JSON logs), for assertions and failure messages. */
  logs(name: ServiceName): string[];
  /** Stops nats-server (an outage); startNats() brings it back on the same port with the same store. */
  stopNats(): Promise<void>;
  startNats(): Promise<void>;
  stop(): Promise<void>;
  api(pathname: string, init?: RequestInit & { tenant?: keyof typeof TENANTS }): Promise<Response>;
}

/**
 * A port for a service to listen on. Not from the kernel's ephemeral range (ports 0 gives, and
 * that outgoing connections take as their local port between our check and the child's bind),
 * but from a block of this test worker's own below it, handed out once each and checked free:
 * stacks of test files running side by side, and the connections of their services, never
 * collide.
 */
const PORT_BLOCK = 400;
const poolId = Number(process.env.VITEST_POOL_ID ?? process.pid % 30);
/** QUIRE_TEST_PORT_BASE moves the blocks, so that two checkouts can run their tests at once. */
const portBase = Number(process.env.QUIRE_TEST_PORT_BASE ?? 20_000);
let nextPort = portBase + (poolId % 30) * PORT_BLOCK;
const lastPort = nextPort + PORT_BLOCK;

async function freePort(): Promise<number> {
  while (nextPort < lastPort) {
    const port = nextPort++;
    const free = await new Promise<boolean>((resolve) => {
      const srv = createServer();
      srv.once("error", () => resolve(false));
      srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error("this test worker ran out of ports");
}

/** Real nats-server + every service as its own node process, as `pnpm start` runs them. */
export async function startStack(extraEnv: Record<string, string> = {}): Promise<Stack> {
  // A store of our own (not the server's temp one), so a restarted server finds its streams again.
  const storeDir = await mkdtemp(path.join(tmpdir(), "quire-e2e-nats-"));
  const nats = await startNatsServer({ storeDir });
  const port = await freePort();
  const grpcPort = await freePort();
  const apiGrpcPort = await freePort();
  const notifierGrpcPort = await freePort();
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    NATS_URL: nats.url,
    QUIRE_PORT: String(port),
    QUIRE_HOST: "127.0.0.1",
    QUIRE_JOB_STATUS_GRPC_ADDR: `127.0.0.1:${grpcPort}`,
    QUIRE_NOTIFIER_GRPC_ADDR: `127.0.0.1:${notifierGrpcPort}`,
    QUIRE_GRPC_PORT: String(apiGrpcPort),
    QUIRE_API_KEYS: Object.entries(TENANTS)
      .map(([t, k]) => `${t}:${k}`)
      .join(","),
    QUIRE_LOG_LEVEL: "info",
    QUIRE_SECRETS_KEY: `k1:${randomBytes(32).toString("base64")}`,
    QUIRE_ALLOW_PRIVATE_TARGETS: "true",
    // Short, as job systems test theirs (RELIABILITY §7): a delivery that is lost or whose worker
    // dies comes back in seconds; heartbeats keep longer stages on their first delivery.
    QUIRE_ACK_WAIT_MS: "5000",
    ...extraEnv,
  };
  const procs = new Map<ServiceName, ChildProcess>();
  const metricsPorts = new Map<ServiceName, number>();
  for (const name of SERVICES) metricsPorts.set(name, await freePort());
  const output = new Map<ServiceName, string[]>();
  const url = `http://127.0.0.1:${port}`;

  const stack: Stack = {
    url,
    grpcAddress: `127.0.0.1:${apiGrpcPort}`,
    nats,
    env,
    async start(name, overrides = {}) {
      const lines: string[] = [];
      output.set(name, lines);
      const child = spawn(process.execPath, [path.join(root, "services", name, "dist/main.js")], {
        env: { ...env, QUIRE_METRICS_PORT: String(metricsPorts.get(name)), QUIRE_METRICS_HOST: "127.0.0.1", ...overrides },
        stdio: ["ignore", "pipe", "pipe"],
      });
      procs.set(name, child);
      const collect = (d: Buffer) => lines.push(...d.toString().split("\n").filter(Boolean));
      child.stdout?.on("data", collect);
      child.stderr?.on("data", collect);
      await waitFor(
        `${name} to start`,
        () => {
          if (child.exitCode !== null) throw new Error(`${name} exited: ${lines.slice(-5).join("\n")}`);
          return lines.some((l) => /"msg":"(ready|gateway listening|stage worker started)"/.test(l));
        },
        { timeoutMs: 30_000 },
      );
      // Scrapeable before the test goes on (the ports come from this worker's own block, see freePort).
      const metrics = await waitFor(
        `${name}'s /metrics`,
        () => lines.find((l) => /"msg":"(metrics at \/metrics|the \/metrics endpoint cannot listen)/.test(l)),
        { timeoutMs: 10_000 },
      );
      if (metrics.includes("cannot listen")) throw new Error(`${name}: ${metrics}`);
    },
    async kill(name, signal) {
      const child = procs.get(name);
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill(signal);
      await exited;
    },
    metricsPort: (name) => metricsPorts.get(name) ?? 0,
    logs: (name) => output.get(name) ?? [],
    stopNats: () => stack.nats.stop(),
    async startNats() {
      stack.nats = await startNatsServer({ storeDir, port: stack.nats.port });
    },
    async stop() {
      for (const name of [...SERVICES].reverse()) await stack.kill(name, "SIGTERM");
      await stack.nats.stop();
      await rm(storeDir, { recursive: true, force: true });
    },
    api(pathname, init = {}) {
      const { tenant = "acme", ...rest } = init;
      const headers = new Headers(rest.headers);
      if (!headers.has("x-api-key") && !headers.has("authorization")) headers.set("x-api-key", TENANTS[tenant]);
      return fetch(`${url}${pathname}`, { ...rest, headers });
    },
  };
  for (const name of SERVICES) await stack.start(name);
  await waitFor("gateway /readyz", async () => (await fetch(`${url}/readyz`)).ok, { timeoutMs: 30_000 });
  return stack;
}

/** Polls GET /v1/jobs/{id} until the job ends; on timeout, says where the job was and what the services logged. */
export async function waitForJobEnd(
  stack: Stack,
  jobId: string,
  timeoutMs = 45_000,
  tenant: keyof typeof TENANTS = "acme",
): Promise<Record<string, unknown>> {
  let last: unknown = "no answer yet";
  try {
    return await waitFor(
      `job ${jobId} to end`,
      async () => {
        const res = await stack.api(`/v1/jobs/${jobId}`, { tenant });
        if (!res.ok) {
          last = `HTTP ${res.status}`;
          return undefined;
        }
        const job = (await res.json()) as Record<string, unknown>;
        last = job;
        return ["completed", "failed", "canceled"].includes(job.status as string) ? job : undefined;
      },
      { timeoutMs, intervalMs: 100 },
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}\nlast seen: ${JSON.stringify(last)}\n${describeLogs(stack, jobId)}`);
  }
}

/** The lines each service logged about a job, plus its recent warnings and errors, for a failure message. */
function describeLogs(stack: Stack, jobId: string): string {
  return SERVICES.map((name) => {
    const lines = stack.logs(name);
    const relevant = lines.filter((l) => l.includes(jobId) || /"level":(4|5|6)\d/.test(l)).slice(-15);
    return `--- ${name} (${lines.length} lines, ${relevant.length} shown)\n${relevant.join("\n")}`;
  }).join("\n");
}
