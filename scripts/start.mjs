#!/usr/bin/env node
// `pnpm start`: the embedded default. Starts a local nats-server with JetStream (when NATS_URL
// is unset) and every service as its own process, supervises them, and stops them in order.
import { spawn } from "node:child_process";
import { createServer } from "node:net";
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
// The key that seals webhook secrets at rest: made once per data dir, kept like the dev key.
if (!env.QUIRE_SECRETS_KEY) env.QUIRE_SECRETS_KEY = await secretsKey();
const port = env.QUIRE_PORT || "8080";
// Webhooks link large results by absolute URL: here, the gateway this script starts.
env.QUIRE_PUBLIC_URL ||= `http://localhost:${port}`;

const children = new Map();
/** When each service last exited: a service that crashed lately is not ready. */
const lastExit = new Map();
let stopping = false;

// Internal addresses follow from this stack: unless set, job-status listens on a free loopback
// port handed to the gateway, so a second stack on the host never reaches the first one's.
env.QUIRE_JOB_STATUS_GRPC_ADDR ||= `127.0.0.1:${await freePort()}`;
env.QUIRE_NOTIFIER_GRPC_ADDR ||= `127.0.0.1:${await freePort()}`;
// The gateway's gRPC port: 50051 unless set; when that is taken (another stack), a free one, said below.
if (!env.QUIRE_GRPC_PORT && !(await isFree(50051, "0.0.0.0"))) env.QUIRE_GRPC_PORT = String(await freePort());
// Each service serves Prometheus /metrics on its own port: QUIRE_METRICS_PORT + its index in
// SERVICES when set (0 serves none); unset, 9464 + index when those ports are free, else free ones.
env.QUIRE_METRICS_HOST ||= "127.0.0.1";
const metricsPorts = await chooseMetricsPorts(env.QUIRE_METRICS_PORT);
const metricsPortOf = (name) => metricsPorts.get(name) ?? 0;

function launch(name, restarts = 0) {
  const childEnv = { ...env, QUIRE_METRICS_PORT: String(metricsPortOf(name)) };
  const child = spawn(process.execPath, [path.join(root, "services", name, "dist/main.js")], { env: childEnv, stdio: "inherit" });
  children.set(name, child);
  child.on("exit", (code, signal) => {
    children.delete(name);
    lastExit.set(name, Date.now());
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
    if (await allReady()) {
      const key = env.QUIRE_API_KEYS.split(",")[0].split(":").slice(1).join(":");
      say(`Quire is ready at http://localhost:${port}  (OpenAPI: /openapi.json)`);
      say(`API key for tenant "${env.QUIRE_API_KEYS.split(":")[0]}": ${key}`);
      say(`try: curl -H "x-api-key: ${key}" -F file=@some.pdf http://localhost:${port}/v1/extract`);
      say(`gRPC: localhost:${env.QUIRE_GRPC_PORT || 50051} (quire.v1.JobsService)`);
      if (metricsPorts.size > 0) say(`metrics: ${SERVICES.map((n) => `${n} :${metricsPortOf(n)}`).join(", ")} (/metrics)`);
      return;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  if (!stopping) say(`not ready after 60 s: ${(await notReady()).join("; ")}; see the logs above`);
}

/**
 * Ready when every service of this stack runs and answers: each process is up and has not
 * crashed in the last seconds, each answers on its /metrics port (when served), and the
 * gateway's /readyz (NATS, and a job-status that projects this stack's stream) is 200.
 */
async function allReady() {
  return (await notReady()).length === 0;
}

async function notReady() {
  const problems = [];
  for (const name of SERVICES) {
    if (!children.has(name)) problems.push(`${name} is not running`);
    else if (Date.now() - (lastExit.get(name) ?? 0) < 3_000) problems.push(`${name} restarted just now`);
    else if (
      metricsPortOf(name) > 0 &&
      !(await fetch(`http://127.0.0.1:${metricsPortOf(name)}/metrics`).then(
        (r) => r.ok,
        () => false,
      ))
    )
      problems.push(`${name} does not answer on :${metricsPortOf(name)}`);
  }
  const readyz = await fetch(`http://127.0.0.1:${port}/readyz`).then(
    async (r) => (r.ok ? null : JSON.stringify((await r.json()).checks)),
    () => "no answer",
  );
  if (readyz) problems.push(`gateway /readyz: ${readyz}`);
  return problems;
}

async function chooseMetricsPorts(setting) {
  const ports = new Map();
  if (setting !== undefined && setting !== "") {
    const base = Number(setting);
    if (base > 0) SERVICES.forEach((n, i) => ports.set(n, base + i));
    return ports;
  }
  const defaults = SERVICES.map((_, i) => 9464 + i);
  const free = (await Promise.all(defaults.map(isFree))).every(Boolean);
  for (const [i, n] of SERVICES.entries()) ports.set(n, free ? defaults[i] : await freePort());
  return ports;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer()
      .once("error", reject)
      .listen(0, "127.0.0.1", () => {
        const p = srv.address().port;
        srv.close(() => resolve(p));
      });
  });
}

function isFree(p, host = "127.0.0.1") {
  return new Promise((resolve) => {
    const srv = createServer()
      .once("error", () => resolve(false))
      .listen(p, host, () => srv.close(() => resolve(true)));
  });
}

async function secretsKey() {
  const file = path.join(dataDir, "secrets-key");
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  const key = `k1:${randomBytes(32).toString("base64")}`;
  await writeFile(file, `${key}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  say(`no QUIRE_SECRETS_KEY set: created one in ${file} (it seals webhook secrets at rest; keep it with the data)`);
  return key;
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
