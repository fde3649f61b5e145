import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, mkdir, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

export interface NatsServerOptions {
  /** JetStream store directory; a temp dir (deleted on stop) when omitted. */
  storeDir?: string;
  /** Port to listen on; -1 (any free port) by default. */
  port?: number;
  /** nats-server binary. @default "nats-server" (Debian puts it in /usr/sbin) */
  binary?: string;
}

export interface NatsServer {
  url: string;
  port: number;
  pid: number;
  storeDir: string;
  /** SIGTERM, wait for exit, delete the temp store if we made it. */
  stop(): Promise<void>;
}

const SEARCH_PATH = ["/usr/sbin", "/usr/local/bin", "/usr/bin"];

/**
 * Starts a local nats-server with JetStream on 127.0.0.1. Used by `pnpm start` when NATS_URL
 * is unset and by every integration test, so both start the broker the same way.
 */
export async function startNatsServer(opts: NatsServerOptions = {}): Promise<NatsServer> {
  const tempStore = opts.storeDir === undefined;
  const storeDir = opts.storeDir ?? (await mkdtemp(path.join(tmpdir(), "quire-nats-")));
  await mkdir(storeDir, { recursive: true });
  const portsDir = await mkdtemp(path.join(tmpdir(), "quire-nats-ports-"));
  const args = ["-js", "-a", "127.0.0.1", "-p", String(opts.port ?? -1), "-sd", storeDir, "--ports_file_dir", portsDir];
  const child = spawn(opts.binary ?? "nats-server", args, {
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, PATH: [process.env.PATH, ...SEARCH_PATH].join(":") },
  });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4_000)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const port = await waitForPort(child, portsDir, () => stderr);
  await rm(portsDir, { recursive: true, force: true });
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    pid: child.pid ?? -1,
    storeDir,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGKILL");
        await exited;
      }
      if (tempStore) await rm(storeDir, { recursive: true, force: true });
    },
  };
}

async function waitForPort(child: ChildProcess, portsDir: string, stderr: () => string): Promise<number> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`nats-server exited at start-up (is it installed? apt-get install nats-server): ${stderr()}`);
    const files = await readdir(portsDir).catch(() => [] as string[]);
    const ports = files.find((f) => f.endsWith(".ports"));
    if (ports) {
      const body = JSON.parse(await readFile(path.join(portsDir, ports), "utf8")) as { nats?: string[] };
      const url = body.nats?.[0];
      const port = url ? Number(new URL(url).port) : NaN;
      if (Number.isInteger(port) && port > 0) return port;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  child.kill("SIGKILL");
  throw new Error(`nats-server did not report its port within 10 s: ${stderr()}`);
}
