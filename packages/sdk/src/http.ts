import { QuireConnectionError, apiErrorFrom, type QuireApiError } from "./errors.js";
import { DEFAULT_RETRY_DELAY_MS, isRetryableResponse, retryDelayMs, sleep } from "./retry.js";

export const SDK_VERSION = "0.1.0";
export const DEFAULT_BASE_URL = "http://localhost:8080";
/** Longer than the gateway's default sync limit (60 s), so a slow sync call gets its 202 instead of a client timeout. */
export const DEFAULT_TIMEOUT_MS = 120_000;
export const DEFAULT_MAX_RETRIES = 2;

export interface QuireOptions {
  /** Where the API answers. @default "http://localhost:8080" */
  baseUrl?: string;
  /** Per-attempt time limit, in ms; a timed-out attempt is retried. @default 120_000 */
  timeoutMs?: number;
  /** Retries after the first attempt, for network errors and 429/502/503/504. @default 2 */
  maxRetries?: number;
  /** First backoff step in ms when the server sends no `retry-after`; doubles per retry. @default 500 */
  retryDelayMs?: number;
  /** A `fetch` implementation, e.g. to add a proxy or logging. @default globalThis.fetch */
  fetch?: typeof fetch;
}

export type RequestBody = { json: unknown } | { form: FormData };

export interface RequestSpec {
  method: "GET" | "POST" | "DELETE";
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: RequestBody;
  /** POST only; a random UUID when omitted. The same key is sent on every retry. */
  idempotencyKey?: string | undefined;
  /**
   * False for a POST the server does not deduplicate by `Idempotency-Key` (registering a webhook
   * endpoint): a repeat could act twice, so it is retried only when the server surely did not
   * act on it (429, 503, or no connection made), never after a timeout, 502 or 504. @default true
   */
  idempotent?: boolean | undefined;
  signal?: AbortSignal | undefined;
}

export interface HttpResponse<T> {
  status: number;
  body: T;
}

type Attempt<T> =
  | { ok: true; response: HttpResponse<T> }
  | { ok: false; error: QuireApiError | QuireConnectionError; retryable: boolean; headers?: Headers };

/** Sends requests with auth, idempotency keys, timeouts and retries. One per `Quire` client. */
export class HttpClient {
  readonly baseUrl: string;
  readonly #apiKey: string;
  readonly #timeoutMs: number;
  readonly #maxRetries: number;
  readonly #retryDelayMs: number;
  readonly #fetch: typeof fetch;

  constructor(apiKey: string, options: QuireOptions = {}) {
    this.#apiKey = apiKey;
    this.baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, "");
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
    this.#retryDelayMs = options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  /** @throws QuireApiError, QuireConnectionError, or the signal's reason when aborted. */
  async request<T>(spec: RequestSpec): Promise<HttpResponse<T>> {
    const url = this.#url(spec);
    const headers = this.#headers(spec);
    for (let retry = 0; ; retry++) {
      if (retry > 0) headers.set("quire-retry-count", String(retry));
      const outcome = await this.#attempt<T>(url, spec, headers);
      if (outcome.ok) return outcome.response;
      const canRetry = outcome.retryable && retry < this.#maxRetries;
      const delay = canRetry ? retryDelayMs(retry + 1, outcome.headers, this.#retryDelayMs) : undefined;
      if (delay === undefined) throw outcome.error;
      await sleep(delay, spec.signal);
    }
  }

  async #attempt<T>(url: string, spec: RequestSpec, headers: Headers): Promise<Attempt<T>> {
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const signal = spec.signal ? AbortSignal.any([spec.signal, timeout]) : timeout;
    let res: Response;
    let text: string;
    try {
      const body = encodeBody(spec.body);
      res = await this.#fetch(url, { method: spec.method, headers, signal, ...(body === undefined ? {} : { body }) });
      text = await res.text();
    } catch (err) {
      if (spec.signal?.aborted) throw spec.signal.reason;
      const retryable = spec.idempotent !== false || (!timeout.aborted && neverSent(err));
      return { ok: false, retryable, error: this.#connectionError(spec, err, timeout.aborted) };
    }
    const requestId = res.headers.get("x-request-id") ?? undefined;
    if (!res.ok) {
      const error = apiErrorFrom(res.status, res.statusText, text, requestId);
      const retryable = isRetryableResponse(error) && (spec.idempotent !== false || NOT_ACTED_ON.has(error.status));
      return { ok: false, error, retryable, headers: res.headers };
    }
    return { ok: true, response: { status: res.status, body: parseJson<T>(res.status, text, requestId) } };
  }

  #url(spec: RequestSpec): string {
    const url = new URL(this.baseUrl + spec.path);
    for (const [name, value] of Object.entries(spec.query ?? {}))
      if (value !== undefined && value !== "") url.searchParams.set(name, String(value));
    return url.toString();
  }

  #headers(spec: RequestSpec): Headers {
    const headers = new Headers({
      "x-api-key": this.#apiKey,
      accept: "application/json",
      "user-agent": `quire-sdk-js/${SDK_VERSION}`,
    });
    if (spec.body && "json" in spec.body) headers.set("content-type", "application/json");
    if (spec.method === "POST") headers.set("idempotency-key", spec.idempotencyKey ?? crypto.randomUUID());
    return headers;
  }

  #connectionError(spec: RequestSpec, err: unknown, timedOut: boolean): QuireConnectionError {
    const what = `${spec.method} ${this.baseUrl}${spec.path}`;
    if (timedOut) return new QuireConnectionError(`${what} timed out after ${this.#timeoutMs} ms`, true, { cause: err });
    return new QuireConnectionError(`could not reach ${what}: ${describeNetworkError(err)}`, false, { cause: err });
  }
}

/** Statuses that mean the server did not act on the request: rate limited, or not serving. */
const NOT_ACTED_ON: ReadonlySet<number> = new Set([429, 503]);

/** Errors raised before a request could be sent: no connection, or no address to connect to. */
const NOT_SENT_CODES: ReadonlySet<string> = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"]);

function neverSent(err: unknown): boolean {
  const code = (err as { cause?: { code?: unknown } } | null)?.cause?.code;
  return typeof code === "string" && NOT_SENT_CODES.has(code);
}

/** FormData is re-serialized by every fetch, so a retried upload sends the same parts again. */
function encodeBody(body: RequestBody | undefined): string | FormData | undefined {
  if (!body) return undefined;
  return "form" in body ? body.form : JSON.stringify(body.json);
}

function parseJson<T>(status: number, text: string, requestId: string | undefined): T {
  if (text === "") return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw apiErrorFrom(status, "response is not JSON", text, requestId);
  }
}

/** Node's fetch says only "fetch failed"; the useful part (ECONNREFUSED, ENOTFOUND…) is in `cause`. */
function describeNetworkError(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (typeof cause?.code === "string") return cause.code;
  if (typeof cause?.message === "string") return cause.message;
  return err instanceof Error ? err.message : String(err);
}
