#!/usr/bin/env node
// `pnpm start`: the embedded default. Starts a local nats-server with JetStream (when NATS_URL
// is unset) and every service as its own process, supervises them, and stops them in order.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile, chmod } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { startNatsServer } = await import(path.join(root, "packages/runtime/dist/index.js"));

const SERVICES = ["job-status", "parse", "extract", "split", "schema", "notifier", "gateway"]; // start order; stop is the reverse
const env = { ...process.env };
const dataDir = path.resolve(root, env.QUIRE_DATA_DIR || ".quire");
await mkdir(dataDir, { recursive: true });
const say = (msg) => process.stderr.write(`[quire] ${msg}\n`);

let nats = null;
if (!env.NATS_URL) {
  nats = await startNatsServer({ storeDir: path.join(dataDir, "nats") });
  env.NATS_URL = nats.url;
  say(`started nats-server (JetStream, data in ${path.join(dataDir, "nats")}) at ${nats.url}`);
}
if (!env.QUIRE_API_KEYS) env.QUIRE_API_KEYS = `dev:${await devKey()}`;
const port = env.QUIRE_PORT || "8080";
// Webhooks link large results by absolute URL: here, the gateway this script starts.
env.QUIRE_PUBLIC_URL ||= `http://localhost:${port}`;

const children = new Map();
let stopping = false;

// Each service serves Prometheus /metrics on its own port: QUIRE_METRICS_PORT (default 9464) + its
// index in SERVICES; QUIRE_METRICS_PORT=0 serves none.
const metricsBase = Number(env.QUIRE_METRICS_PORT ?? 9464);
env.QUIRE_METRICS_HOST ||= "127.0.0.1";
const metricsPortOf = (name) => (metricsBase > 0 ? metricsBase + SERVICES.indexOf(name) : 0);

function launch(name, restarts = 0) {
  const childEnv = { ...env, QUIRE_METRICS_PORT: String(metricsPortOf(name)) };
  const child = spawn(process.execPath, [path.join(root, "services", name, "dist/main.js")], { env: childEnv, stdio: "inherit" });
  children.set(name, child);
  child.on("exit", (code, signal) => {
    children.delete(name);
    if (stopping) return;
    const delay = Math.min(30_000, 500 * 2 ** restarts);
    say(`${name} exited (${signal ?? code}); restarting in ${delay} ms`);
    setTimeout(() => !stopping && launch(name, restarts + 1), delay);
  });
}

for (const name of SERVICES) launch(name);
await waitReady();

async function waitReady() {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && !stopping) {
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false);
    if (ok) {
      const key = env.QUIRE_API_KEYS.split(",")[0].split(":").slice(1).join(":");
      say(`Quire is ready at http://localhost:${port}  (OpenAPI: /openapi.json)`);
      say(`API key for tenant "${env.QUIRE_API_KEYS.split(":")[0]}": ${key}`);
      say(`try: curl -H "x-api-key: ${key}" -F file=@some.pdf http://localhost:${port}/v1/extract`);
      say(`gRPC: localhost:${env.QUIRE_GRPC_PORT || 50051} (quire.v1.JobsService)`);
      if (metricsBase > 0) say(`metrics: ${SERVICES.map((n) => `${n} :${metricsPortOf(n)}`).join(", ")} (/metrics)`);
      return;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  if (!stopping) say("not ready after 60 s; see the logs above");
}

async function devKey() {
  const file = path.join(dataDir, "dev-api-key");
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  const key = `qk_dev_${randomBytes(18).toString("base64url")}`;
  await writeFile(file, `${key}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  say(`no QUIRE_API_KEYS set: created a development key in ${file}`);
  return key;
}

async function stop(signal) {
  if (stopping) return;
  stopping = true;
  say(`${signal}: stopping services`);
  for (const name of [...SERVICES].reverse()) {
    const child = children.get(name);
    if (!child) continue;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 30_000))]);
  }
  if (nats) await nats.stop();
  say("stopped");
  process.exit(0);
}
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));
