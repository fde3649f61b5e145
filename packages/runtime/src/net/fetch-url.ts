import { Agent, fetch } from "undici";
import { ErrorCode, QuireError, isQuireError } from "../errors.js";
import { checkTargetUrl, guardedLookup, type TargetPolicy } from "./target-guard.js";

export interface FetchLimits extends TargetPolicy {
  maxBytes: number;
  timeoutMs: number;
  /** @default 5 */
  maxRedirects?: number;
}

export interface FetchedFile {
  bytes: Uint8Array;
  contentType: string | null;
  finalUrl: string;
  filename: string | null;
}

/**
 * Downloads a user-supplied URL with the SSRF guard applied to the first URL and to every
 * redirect, a byte limit enforced while streaming, and one deadline for the whole fetch.
 */
export async function fetchUrl(raw: string, limits: FetchLimits): Promise<FetchedFile> {
  const agent = new Agent({ connect: { lookup: guardedLookup(limits) as never, timeout: limits.timeoutMs } });
  const signal = AbortSignal.timeout(limits.timeoutMs);
  try {
    let url = checkTargetUrl(raw, limits);
    for (let hop = 0; hop <= (limits.maxRedirects ?? 5); hop++) {
      const res = await fetch(url, { redirect: "manual", dispatcher: agent, signal });
      const location = res.headers.get("location");
      if (res.status >= 300 && res.status < 400 && location) {
        await res.body?.cancel();
        url = checkTargetUrl(new URL(location, url).toString(), limits);
        continue;
      }
      if (!res.ok)
        throw new QuireError(
          ErrorCode.FetchFailed,
          `file_url answered HTTP ${res.status}; check the URL is right and readable without credentials`,
          { status: res.status, cause: "status" },
        );
      const bytes = await readLimited(res.body, limits.maxBytes);
      return { bytes, contentType: res.headers.get("content-type"), finalUrl: url.toString(), filename: filenameOf(url) };
    }
    throw new QuireError(ErrorCode.FetchFailed, `file_url redirected more than ${limits.maxRedirects ?? 5} times`);
  } catch (err) {
    throw translate(err, limits, raw);
  } finally {
    void agent.close();
  }
}

async function readLimited(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<Uint8Array> {
  if (!body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.byteLength;
    if (total > maxBytes) {
      await body.cancel().catch(() => undefined);
      throw new QuireError(ErrorCode.FileTooLarge, `file_url is larger than the ${maxBytes}-byte limit`, { maxBytes });
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** What went wrong at the network level, from Node's and undici's error codes: DNS, refused, TLS, timeout. */
const CAUSES: Array<{ cause: string; test: (code: string) => boolean; say: (host: string) => string }> = [
  {
    cause: "dns",
    test: (c) => c === "ENOTFOUND" || c === "EAI_AGAIN" || c === "EAI_NONAME",
    say: (h) => `the host ${h} could not be resolved (DNS); check the URL`,
  },
  { cause: "refused", test: (c) => c === "ECONNREFUSED", say: (h) => `${h} refused the connection; is the server up and the port right?` },
  {
    cause: "reset",
    test: (c) => c === "ECONNRESET" || c === "UND_ERR_SOCKET" || c === "EPIPE",
    say: (h) => `${h} closed the connection before the file was read`,
  },
  {
    cause: "timeout",
    test: (c) => c === "UND_ERR_CONNECT_TIMEOUT" || c === "ETIMEDOUT" || c === "UND_ERR_HEADERS_TIMEOUT" || c === "UND_ERR_BODY_TIMEOUT",
    say: (h) => `${h} did not answer in time`,
  },
  {
    cause: "tls",
    test: (c) =>
      c.startsWith("ERR_TLS") ||
      c.startsWith("ERR_SSL") ||
      c.includes("CERT") ||
      c === "DEPTH_ZERO_SELF_SIGNED_CERT" ||
      c === "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
    say: (h) => `the TLS handshake with ${h} failed (certificate or protocol); check the https URL`,
  },
];

function translate(err: unknown, limits: FetchLimits, raw: string): QuireError {
  if (isQuireError(err)) return err;
  const host = hostOf(raw);
  let cause: unknown = err;
  for (let depth = 0; cause instanceof Error && depth < 6; depth++, cause = cause.cause) {
    if (isQuireError(cause)) return cause;
    if (cause.name === "TimeoutError" || cause.name === "AbortError")
      return new QuireError(ErrorCode.FetchFailed, `file_url did not answer within ${limits.timeoutMs} ms`, { cause: "timeout" });
    const code = (cause as { code?: unknown }).code;
    const known = typeof code === "string" ? CAUSES.find((c) => c.test(code)) : undefined;
    if (known)
      return new QuireError(
        ErrorCode.FetchFailed,
        `could not fetch file_url: ${known.say(host)}`,
        { cause: known.cause, code },
        { cause: err },
      );
  }
  const message = err instanceof Error ? err.message : String(err);
  return new QuireError(ErrorCode.FetchFailed, `could not fetch file_url: ${message}`, { cause: "network" }, { cause: err });
}

function hostOf(raw: string): string {
  try {
    return new URL(raw).host;
  } catch {
    return "the host";
  }
}

function filenameOf(url: URL): string | null {
  const last = url.pathname.split("/").filter(Boolean).at(-1);
  return last ? decodeURIComponent(last).slice(0, 255) : null;
}
