// Starts the embedded stack (`node scripts/start.mjs`) on a free port with a temp data dir,
// or uses a running one when QUIRE_BASE_URL and QUIRE_API_KEY are set.
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });

export async function openStack(env = {}) {
  if (process.env.QUIRE_BASE_URL && process.env.QUIRE_API_KEY)
    return { url: process.env.QUIRE_BASE_URL, key: process.env.QUIRE_API_KEY, stop: async () => {} };
  const dataDir = await mkdtemp(path.join(tmpdir(), "quire-bench-"));
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(root, "scripts/start.mjs")], {
    env: {
      ...process.env,
      QUIRE_DATA_DIR: dataDir,
      QUIRE_PORT: String(port),
      QUIRE_LOG_LEVEL: "warn",
      QUIRE_JOB_STATUS_GRPC_ADDR: `127.0.0.1:${await freePort()}`,
      QUIRE_GRPC_PORT: String(await freePort()),
      QUIRE_METRICS_PORT: "0",
      NATS_URL: "",
      QUIRE_API_KEYS: "",
      ...env,
    },
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (
    !(await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error("the stack did not become ready");
    await new Promise((r) => setTimeout(r, 250));
  }
  const key = (await readFile(path.join(dataDir, "dev-api-key"), "utf8")).trim();
  return {
    url,
    key,
    async stop() {
      const exited = new Promise((r) => child.once("exit", r));
      process.kill(child.pid, "SIGTERM");
      await exited;
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** POST a file as an async extract job; returns the job id. */
export async function submit(stack, bytes, name, fields = {}) {
  const form = new FormData();
  form.set("file", new Blob([bytes]), name);
  form.set("async", "true");
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  const res = await fetch(`${stack.url}/v1/extract`, { method: "POST", headers: { "x-api-key": stack.key }, body: form });
  const body = await res.json();
  if (res.status !== 202) return { error: body.error, status: res.status };
  return { jobId: body.job_id };
}

/** Polls until the job ends or the deadline passes (then status "timeout"). */
export async function waitJob(stack, jobId, timeoutMs = 300_000, intervalMs = 50) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const res = await fetch(`${stack.url}/v1/jobs/${jobId}`, { headers: { "x-api-key": stack.key } });
    if (res.ok) {
      const job = await res.json();
      if (["completed", "failed", "canceled"].includes(job.status)) return job;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  return { status: "timeout" };
}

export const corpusDir = () => path.resolve(root, process.env.QUIRE_CORPUS ?? "../shared/corpus");
