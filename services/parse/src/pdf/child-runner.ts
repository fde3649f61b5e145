// Runs a document through a Node child: feeds it stdin, hands its stdout lines to a callback
// in order, and kills it (SIGKILL: a stuck parser cannot be trusted to cooperate) on a time
// limit, an RSS limit, an abort, or a failing callback. With `reuse`, a child that finished a
// document cleanly is kept for the next document of the same key (one tenant), until it has
// served `maxDocuments` or grown past `maxRssMb`; a child that failed in any way is never reused.
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
  /** Keep the child for later documents with the same key; without it, one process per document. */
  reuse?: ReuseOptions;
}

export interface ReuseOptions {
  /** Documents of one key share processes, others never do: the tenant, say. */
  key: string;
  /** A child is retired after this many documents. */
  maxDocuments: number;
  /** A child whose resident set is above this after a document is retired, not kept. */
  maxRssMb: number;
  /** True for the line that ends a document cleanly (the child then waits for the next). */
  isDone(line: string): boolean;
}

export interface ChildOutcome {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Set when we killed it for a limit. */
  killedFor?: "timeout" | "rss" | undefined;
  peakRssMb: number;
  /** Last few KB of stderr, for diagnosis (heap exhaustion messages land here). */
  stderrTail: string;
  elapsedMs: number;
  /** Documents this process has run, this one included (1 without reuse). */
  documents: number;
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
  /** Why we are rejecting (abort reason or a callback's error), if we are. */
  failure: unknown;
}

/** What a child has said and done so far; the document it is running reads its lines here. */
interface Session {
  documents: number;
  stderr: string;
  onLine: ((line: string) => void) | undefined;
}

const sessions = new WeakMap<ChildProcess, Session>();
const sessionOf = (child: ChildProcess): Session => sessions.get(child)!;

function spawnChild(script: string, execArgv: string[]): ChildProcess {
  const child = spawn(process.execPath, [...execArgv, script], {
    stdio: ["pipe", "pipe", "pipe"],
    // An empty environment: the child needs none, and must not inherit secrets or NODE_OPTIONS.
    env: {},
  });
  const session: Session = { documents: 0, stderr: "", onLine: undefined };
  sessions.set(child, session);
  readLines(child, (line) => session.onLine?.(line));
  child.stderr?.setEncoding("utf8").on("data", (d: string) => (session.stderr = (session.stderr + d).slice(-STDERR_TAIL)));
  child.stdin?.on("error", () => undefined); // EPIPE when the child dies before reading everything
  child.once("exit", () => unpark(child));
  return child;
}

const alive = (child: ChildProcess): boolean => child.exitCode === null && child.signalCode === null;

type Unrefable = { unref?: () => void; ref?: () => void };
const setRef = (child: ChildProcess, on: boolean): void => {
  for (const s of [child, child.stdin, child.stdout, child.stderr] as Unrefable[]) (on ? s?.ref : s?.unref)?.call(s);
};

/** Children that finished a document cleanly, waiting for the next one of their key. */
const idle = new Map<string, ChildProcess[]>();
/** Idle children kept per key, and in all: beyond, the oldest is retired. Each holds ~60–100 MB. */
const MAX_IDLE_PER_KEY = 2;
const MAX_IDLE = 4;
/** An idle child not taken again within this long is retired, so a quiet service holds no memory for it. */
const IDLE_MS = 60_000;
const idleTimers = new WeakMap<ChildProcess, NodeJS.Timeout>();

function takeIdle(key: string): ChildProcess | undefined {
  const list = idle.get(key);
  while (list && list.length > 0) {
    const child = list.pop()!;
    if (list.length === 0) idle.delete(key);
    clearTimeout(idleTimers.get(child));
    if (alive(child)) return child;
  }
  return undefined;
}

function park(key: string, child: ChildProcess): void {
  setRef(child, false);
  const list = idle.get(key) ?? [];
  list.push(child);
  idle.set(key, list);
  idleTimers.set(child, setTimeout(() => retire(child), IDLE_MS).unref());
  if (list.length > MAX_IDLE_PER_KEY) retire(list.shift()!);
  let total = 0;
  for (const l of idle.values()) total += l.length;
  if (total > MAX_IDLE) {
    const oldestKey = idle.keys().next().value;
    const oldest = oldestKey === undefined ? undefined : idle.get(oldestKey)?.shift();
    if (oldest) retire(oldest);
  }
}

/** An idle child that exited (retired, or died) leaves its list. */
function unpark(child: ChildProcess): void {
  for (const [key, list] of idle) {
    const at = list.indexOf(child);
    if (at < 0) continue;
    list.splice(at, 1);
    if (list.length === 0) idle.delete(key);
    return;
  }
}

/** Ends a child that did nothing wrong: its stdin closes and it exits by itself. */
function retire(child: ChildProcess): void {
  child.stdin?.end();
  setTimeout(() => alive(child) && child.kill("SIGKILL"), 5_000).unref();
}

/**
 * One child per script + flags, already started and importing pdf.js, waiting for its input,
 * for a document that finds no idle child of its key (or runs without reuse): it takes Node's
 * start and the pdf.js import (~0.15 s) off the critical path. It is unref'd, so it never holds
 * the parent open, and it exits on its own when the parent goes away (its stdin closes).
 */
const standby = new Map<string, ChildProcess>();
let standbyEnabled = true;

/** Turns the warm standby child on or off (on by default); off also kills the waiting children. */
export function setWarmStandby(enabled: boolean): void {
  standbyEnabled = enabled;
  if (!enabled) closeWaitingChildren();
}

/** Kills the children waiting for a document: the standby and the idle ones (service shutdown). */
export function closeWaitingChildren(): void {
  for (const child of standby.values()) child.kill("SIGKILL");
  standby.clear();
  for (const list of idle.values()) for (const child of list) child.kill("SIGKILL");
  idle.clear();
}

function takeChild(script: string, execArgv: string[]): ChildProcess {
  const key = JSON.stringify([script, execArgv]);
  const ready = standby.get(key);
  standby.delete(key);
  const usable = ready !== undefined && alive(ready);
  if (ready && !usable) ready.kill("SIGKILL");
  const child = usable ? ready : spawnChild(script, execArgv);
  if (standbyEnabled) {
    const next = spawnChild(script, execArgv);
    next.once("exit", () => standby.get(key) === next && standby.delete(key));
    setRef(next, false);
    standby.set(key, next);
  }
  return child;
}

export function runChild(opts: RunChildOptions): Promise<ChildOutcome> {
  return new Promise<ChildOutcome>((resolve, reject) => {
    const started = Date.now();
    const poolKey = opts.reuse && JSON.stringify([opts.reuse.key, opts.script, opts.execArgv]);
    const child = (poolKey && takeIdle(poolKey)) || takeChild(opts.script, opts.execArgv);
    setRef(child, true);
    const session = sessionOf(child);
    session.documents++;
    session.stderr = "";
    const state: RunState = { killedFor: undefined, peakRssMb: 0, failure: undefined };
    const kill = (): void => {
      if (alive(child)) child.kill("SIGKILL");
    };
    const fail = (err: unknown): void => {
      if (state.failure === undefined) state.failure = err ?? new Error("child failed");
      kill();
    };
    const release = enforceLimits(child, opts, state, kill, fail);
    const outcome = (exitCode: number | null, signal: NodeJS.Signals | null): ChildOutcome => ({
      exitCode,
      signal,
      killedFor: state.killedFor,
      peakRssMb: Math.round(state.peakRssMb),
      stderrTail: session.stderr,
      elapsedMs: Date.now() - started,
      documents: session.documents,
    });

    let chain: Promise<void> = Promise.resolve();
    let finished = false;
    session.onLine = (line) => {
      chain = chain.then(() => (state.failure === undefined ? opts.onLine(line) : undefined)).catch(fail);
      if (opts.reuse && poolKey && !finished && opts.reuse.isDone(line)) {
        finished = true;
        const reuse = opts.reuse;
        void chain.then(() => keepOrRetire(reuse, poolKey));
      }
    };
    const onClose = (exitCode: number | null, signal: NodeJS.Signals | null): void => {
      release();
      session.onLine = undefined;
      // Lines already read are still handed over (in order) before we settle.
      void chain.then(() => (state.failure !== undefined ? reject(state.failure) : resolve(outcome(exitCode, signal))));
    };
    child.stdin?.write(opts.input);
    if (!opts.reuse) child.stdin?.end();
    child.once("error", fail); // spawn failure
    child.once("close", onClose);

    /** The document ended cleanly: settle now, and keep the child for the next one if it is fit. */
    async function keepOrRetire(reuse: ReuseOptions, key: string): Promise<void> {
      if (state.failure !== undefined || state.killedFor !== undefined || !alive(child)) return; // onClose settles
      child.off("close", onClose);
      child.off("error", fail);
      release();
      session.onLine = undefined;
      const rss = child.pid === undefined ? null : await rssMb(child.pid);
      if (rss !== null) state.peakRssMb = Math.max(state.peakRssMb, rss);
      const fit = alive(child) && session.documents < reuse.maxDocuments && (rss ?? 0) <= reuse.maxRssMb;
      if (fit) park(key, child);
      else retire(child);
      resolve(outcome(0, null));
    }
  });
}

/** Time limit, RSS limit and abort signal; returns the function that disarms all three. */
function enforceLimits(
  child: ChildProcess,
  opts: RunChildOptions,
  state: RunState,
  kill: () => void,
  fail: (err: unknown) => void,
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
