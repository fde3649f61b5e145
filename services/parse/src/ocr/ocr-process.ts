// The parent's handle on one OCR worker process (dist/ocr/ocr-child.js): start it, send it one
// request at a time, time a request out (SIGKILL: a stuck WASM loop cannot be interrupted any
// other way), and turn its death into errors for whatever it was doing.
import { fork, type ChildProcess } from "node:child_process";
import { ErrorCode, QuireError } from "@quire/runtime";
import { rssMb } from "../pdf/child-runner.js";
import type { FromOcrChild, OcrChildInit, OcrPageJson, OcrProbeJson, ToOcrChild } from "./ocr-protocol.js";

type Request = { type: "probe"; path: string } | Omit<Extract<ToOcrChild, { type: "ocr" }>, "id">;
type Reply<R extends Request> = R extends { type: "probe" } ? OcrProbeJson : OcrPageJson;

interface Pending {
  resolve(v: OcrPageJson | OcrProbeJson): void;
  reject(err: unknown): void;
  timer: NodeJS.Timeout;
  /** What the request was about, for error messages: "page 3", "the image". */
  label: string;
  /** Error code when the process dies during this request (the input's fault or ours). */
  crashCode: ErrorCode;
}

const STDERR_TAIL = 4_096;

export class OcrProcess {
  /** Pages recognized by this process, for recycling. */
  pages = 0;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private stderr = "";
  private killedFor: "timeout" | "stop" | undefined;

  private constructor(private readonly child: ChildProcess) {
    child.stderr?.setEncoding("utf8").on("data", (d: string) => (this.stderr = (this.stderr + d).slice(-STDERR_TAIL)));
    child.on("message", (m: FromOcrChild) => this.onMessage(m));
    child.once("exit", (code, signal) => this.onExit(code, signal));
  }

  /** Forks the worker and waits until its tesseract worker is ready. */
  static start(script: string, execArgv: string[], init: OcrChildInit): Promise<OcrProcess> {
    const child = fork(script, [], {
      execArgv,
      env: {}, // needs none; must not inherit secrets or NODE_OPTIONS
      serialization: "advanced",
      stdio: ["ignore", "ignore", "pipe", "ipc"],
    });
    const proc = new OcrProcess(child);
    return new Promise((resolve, reject) => {
      const fail = (err: Error): void => {
        proc.kill();
        reject(new QuireError(ErrorCode.Unavailable, err.message, {}, { cause: err }));
      };
      const timer = setTimeout(
        () => fail(new Error(`OCR worker did not start within ${init.initTimeoutMs + 5_000} ms`)),
        init.initTimeoutMs + 5_000,
      );
      const onMessage = (m: FromOcrChild): void => {
        if (m.type === "ready") {
          done();
          resolve(proc);
        } else if (m.type === "error" && m.id === null) {
          done();
          fail(new Error(m.message));
        }
      };
      const onExit = (code: number | null): void => {
        done();
        fail(new Error(`OCR worker exited during start-up (code ${code}): ${proc.stderr.slice(-500)}`));
      };
      const done = (): void => {
        clearTimeout(timer);
        child.off("message", onMessage);
        child.off("exit", onExit);
      };
      child.on("message", onMessage);
      child.once("exit", onExit);
      child.once("error", (err) => {
        done();
        fail(err);
      });
      child.send({ type: "init", init } satisfies ToOcrChild);
    });
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  request<R extends Request>(req: R, opts: { timeoutMs: number; label: string; crashCode: ErrorCode }): Promise<Reply<R>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.killedFor = "timeout";
        this.kill();
        this.settle(
          id,
          new QuireError(
            ErrorCode.DocumentTooComplex,
            `OCR of ${opts.label} took longer than the ${opts.timeoutMs / 1000} s limit (QUIRE_OCR_PAGE_TIMEOUT_MS)`,
          ),
        );
      }, opts.timeoutMs);
      this.pending.set(id, { resolve: resolve as Pending["resolve"], reject, timer, label: opts.label, crashCode: opts.crashCode });
      this.child.send({ ...req, id } as ToOcrChild);
    });
  }

  rssMb(): Promise<number | null> {
    return this.child.pid === undefined ? Promise.resolve(null) : rssMb(this.child.pid);
  }

  kill(): void {
    if (this.alive) this.child.kill("SIGKILL");
  }

  /** Kills it at shutdown: whatever it was doing fails as UNAVAILABLE (retried elsewhere), not as the input's fault. */
  stop(): void {
    this.killedFor ??= "stop";
    this.kill();
  }

  private onMessage(m: FromOcrChild): void {
    if (m.type === "ready" || m.id === null) return;
    if (m.type === "error") return this.settle(m.id, new QuireError(asCode(m.code), m.message));
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    clearTimeout(p.timer);
    p.resolve(m.type === "page" ? m.page : m.probe);
  }

  private settle(id: number, err: unknown): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    clearTimeout(p.timer);
    p.reject(err);
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    for (const [id, p] of this.pending) {
      const details = { exitCode: code, signal, stderr: this.stderr.slice(-1_000) };
      // A SIGKILL we did not send is the OS (out of memory): not the input's fault, so retryable.
      const err =
        this.killedFor === "stop"
          ? new QuireError(ErrorCode.Unavailable, `the OCR pool shut down during ${p.label}`, details)
          : signal === "SIGKILL" && this.killedFor !== "timeout"
            ? new QuireError(ErrorCode.Unavailable, `the OCR worker was killed during ${p.label} (out of memory on the host?)`, details)
            : new QuireError(p.crashCode, `the OCR worker crashed on ${p.label} (exit code ${code ?? signal})`, details);
      this.settle(id, err);
    }
  }
}

function asCode(code: string): ErrorCode {
  return (Object.values(ErrorCode) as string[]).includes(code) ? (code as ErrorCode) : ErrorCode.Internal;
}
