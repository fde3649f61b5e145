// Runs one short-lived Node child: feeds it stdin, hands its stdout lines to a callback in
// order, and kills it (SIGKILL: a stuck parser cannot be trusted to cooperate) on a time
// limit, an RSS limit, an abort, or a failing callback.
import { spawn, type ChildProcess } from "node:child_process";
import { readFile } from "node:fs/promises";

export interface RunChildOptions {
  script: string;
  execArgv: string[];
  input: Uint8Array;
  timeoutMs: number;
  maxRssMb: number;
  signal?: AbortSignal | undefined;
  /** Called once per stdout line, strictly in order; a throw kills the child and rejects. */
  onLine(line: string): void | Promise<void>;
  /** How often RSS is sampled. @default 200 */
  rssIntervalMs?: number;
  /**
   * True while the child is waiting for us (OCR flow control): that time, sampled with RSS,
   * does not count against `timeoutMs`, which bounds the child's own work.
   */
  isIdle?: () => boolean;
}

export interface ChildOutcome {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Set when we killed it for a limit. */
  killedFor?: "timeout" | "rss";
  peakRssMb: number;
  /** Last few KB of stderr, for diagnosis (heap exhaustion messages land here). */
  stderrTail: string;
  elapsedMs: number;
}

const STDERR_TAIL = 8_192;

/** The child's resident set in MiB from /proc (Linux); null where /proc is unavailable. */
export async function rssMb(pid: number): Promise<number | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

interface RunState {
  killedFor: ChildOutcome["killedFor"];
  peakRssMb: number;
  stderr: string;
  /** Why we are rejecting (abort reason or a callback's error), if we are. */
  failure: unknown;
}

function spawnChild(script: string, execArgv: string[]): ChildProcess {
  return spawn(process.execPath, [...execArgv, script], {
    stdio: ["pipe", "pipe", "pipe"],
    // An empty environment: the child needs none, and must not inherit secrets or NODE_OPTIONS.
    env: {},
  });
}

type Unrefable = { unref?: () => void; ref?: () => void };
const setRef = (child: ChildProcess, on: boolean): void => {
  for (const s of [child, child.stdin, child.stdout, child.stderr] as Unrefable[]) (on ? s?.ref : s?.unref)?.call(s);
};

/**
 * One child per script + flags, already started and importing pdf.js, waiting for its input.
 * Every document still gets a fresh process of its own (no state ever crosses documents or
 * tenants); the standby only takes Node's start and the pdf.js import (~0.15 s) off the
 * critical path. It is unref'd, so it never holds the parent open, and it exits on its own
 * when the parent goes away (its stdin closes).
 */
const standby = new Map<string, ChildProcess>();
let standbyEnabled = true;

/** Turns the warm standby child on or off (on by default); off also kills the waiting ones. */
export function setWarmStandby(enabled: boolean): void {
  standbyEnabled = enabled;
  if (!enabled) closeStandby();
}

/** Kills the waiting standby children (service shutdown). */
export function closeStandby(): void {
  for (const child of standby.values()) child.kill("SIGKILL");
  standby.clear();
}

function takeChild(script: string, execArgv: string[]): ChildProcess {
  const key = JSON.stringify([script, execArgv]);
  const ready = standby.get(key);
  standby.delete(key);
  const alive = ready && ready.exitCode === null && ready.signalCode === null;
  if (ready && !alive) ready.kill("SIGKILL");
  const child = alive ? ready : spawnChild(script, execArgv);
  setRef(child, true);
  if (standbyEnabled) {
    const next = spawnChild(script, execArgv);
    next.stdin?.on("error", () => undefined);
    next.once("exit", () => standby.get(key) === next && standby.delete(key));
    setRef(next, false);
    standby.set(key, next);
  }
  return child;
}

export function runChild(opts: RunChildOptions): Promise<ChildOutcome> {
  return new Promise<ChildOutcome>((resolve, reject) => {
    const started = Date.now();
    const child = takeChild(opts.script, opts.execArgv);
    const state: RunState = { killedFor: undefined, peakRssMb: 0, stderr: "", failure: undefined };
    const kill = (): void => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    };
    const fail = (err: unknown): void => {
      if (state.failure === undefined) state.failure = err ?? new Error("child failed");
      kill();
    };
    const release = enforceLimits(child, opts, state, kill, fail);

    let chain: Promise<void> = Promise.resolve();
    readLines(child, (line) => {
      chain = chain.then(() => (state.failure === undefined ? opts.onLine(line) : undefined)).catch(fail);
    });
    child.stderr?.setEncoding("utf8").on("data", (d: string) => (state.stderr = (state.stderr + d).slice(-STDERR_TAIL)));
    child.stdin?.on("error", () => undefined); // EPIPE when the child dies before reading everything
    child.stdin?.end(opts.input);

    child.once("error", fail); // spawn failure
    child.once("close", (exitCode, signal) => {
      release();
      // Lines already read are still handed over (in order) before we settle.
      void chain.then(() => {
        if (state.failure !== undefined) return reject(state.failure);
        resolve({
          exitCode, signal, killedFor: state.killedFor, peakRssMb: Math.round(state.peakRssMb),
          stderrTail: state.stderr, elapsedMs: Date.now() - started,
        });
      });
    });
  });
}

/** Time limit, RSS limit and abort signal; returns the function that disarms all three. */
function enforceLimits(
  child: ChildProcess, opts: RunChildOptions, state: RunState, kill: () => void, fail: (err: unknown) => void,
): () => void {
  const started = Date.now();
  let idleMs = 0;
  let timer: NodeJS.Timeout;
  const arm = (ms: number): void => {
    timer = setTimeout(() => {
      const busyMs = Date.now() - started - idleMs;
      if (busyMs < opts.timeoutMs) return arm(opts.timeoutMs - busyMs); // idle time was given back
      state.killedFor ??= "timeout";
      kill();
    }, ms);
  };
  arm(opts.timeoutMs);
  const stopRss = watchRss(child, opts, (mb) => {
    if (opts.isIdle?.()) idleMs += opts.rssIntervalMs ?? 200;
    state.peakRssMb = Math.max(state.peakRssMb, mb);
    if (mb > opts.maxRssMb) {
      state.killedFor ??= "rss";
      kill();
    }
  });
  const onAbort = (): void => fail(opts.signal?.reason ?? new Error("aborted"));
  if (opts.signal?.aborted) onAbort();
  else opts.signal?.addEventListener("abort", onAbort, { once: true });
  return () => {
    clearTimeout(timer);
    stopRss();
    opts.signal?.removeEventListener("abort", onAbort);
  };
}

function watchRss(child: ChildProcess, opts: RunChildOptions, onSample: (mb: number) => void): () => void {
  const pid = child.pid;
  if (pid === undefined) return () => undefined;
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return; // a slow /proc read must not pile up samples
    busy = true;
    void rssMb(pid).then((mb) => {
      busy = false;
      if (mb !== null) onSample(mb);
    });
  }, opts.rssIntervalMs ?? 200);
  return () => clearInterval(timer);
}

/** Splits stdout into lines; scans each chunk once, so a huge page line costs O(size). */
function readLines(child: ChildProcess, onLine: (line: string) => void): void {
  let pending: string[] = [];
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    let start = 0;
    let nl: number;
    while ((nl = chunk.indexOf("\n", start)) >= 0) {
      pending.push(chunk.slice(start, nl));
      const line = pending.join("");
      pending = [];
      start = nl + 1;
      if (line.trim() !== "") onLine(line);
    }
    if (start < chunk.length) pending.push(chunk.slice(start));
  });
  child.stdout?.on("end", () => {
    const rest = pending.join("");
    if (rest.trim() !== "") onLine(rest);
  });
}
