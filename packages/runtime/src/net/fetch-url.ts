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
      if (!res.ok) throw new QuireError(ErrorCode.FetchFailed, `fetching file_url answered HTTP ${res.status}`, { status: res.status });
      const bytes = await readLimited(res.body, limits.maxBytes);
      return { bytes, contentType: res.headers.get("content-type"), finalUrl: url.toString(), filename: filenameOf(url) };
    }
    throw new QuireError(ErrorCode.FetchFailed, `file_url redirected more than ${limits.maxRedirects ?? 5} times`);
  } catch (err) {
    throw translate(err, limits);
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

function translate(err: unknown, limits: FetchLimits): QuireError {
  if (isQuireError(err)) return err;
  let cause: unknown = err;
  while (cause instanceof Error) {
    if (isQuireError(cause)) return cause;
    if (cause.name === "TimeoutError" || cause.name === "AbortError")
      return new QuireError(ErrorCode.FetchFailed, `file_url did not answer within ${limits.timeoutMs} ms`);
    cause = cause.cause;
  }
  const message = err instanceof Error ? err.message : String(err);
  return new QuireError(ErrorCode.FetchFailed, `could not fetch file_url: ${message}`, {}, { cause: err });
}

function filenameOf(url: URL): string | null {
  const last = url.pathname.split("/").filter(Boolean).at(-1);
  return last ? decodeURIComponent(last).slice(0, 255) : null;
}
