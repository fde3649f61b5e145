/**
 * One call to an OpenAI-compatible `POST {baseUrl}/chat/completions`, with a timeout and one
 * retry. Errors say what happened without echoing the API key or the document.
 */
import { ErrorCode, QuireError } from "@quire/runtime";

/** Where the model is. `apiKey` is sent as a Bearer token and never logged or put in an error. */
export interface LlmConfig {
  /** e.g. `http://localhost:11434/v1` (no trailing `/chat/completions`). */
  baseUrl: string;
  model: string;
  apiKey?: string;
  /** Per attempt; the call makes at most two attempts. */
  timeoutMs: number;
}

/** A chat-completions message. */
export interface ChatMessage {
  role: "system" | "user";
  content: string;
}

/** Attempts per call: the first, and one retry for a failure that may pass (network, timeout, non-2xx). */
const ATTEMPTS = 2;
const RETRY_DELAY_MS = 250;

/**
 * Sends the messages with a JSON-schema response format and returns the answer's text.
 * @throws QuireError LLM_UNAVAILABLE (unreachable, timeout, non-2xx after the retry),
 *   LLM_INVALID_RESPONSE (a 2xx whose body is not a chat completion); both not retryable,
 *   since the one retry already happened here. A caller's abort rethrows its reason.
 */
export async function chatCompletion(
  llm: LlmConfig,
  messages: ChatMessage[],
  schema: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<string> {
  const body = JSON.stringify({
    model: llm.model,
    messages,
    temperature: 0,
    response_format: { type: "json_schema", json_schema: { name: "schema_output", schema, strict: false } },
  });
  let last: QuireError | undefined;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    if (attempt > 1) await sleep(RETRY_DELAY_MS, signal);
    try {
      return await attemptOnce(llm, body, signal);
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      if (err instanceof QuireError && err.code === ErrorCode.LlmInvalidResponse) throw err;
      last = err instanceof QuireError ? err : unavailable(describe(err, llm), {});
    }
  }
  throw last ?? unavailable("the model endpoint did not answer", {});
}

async function attemptOnce(llm: LlmConfig, body: string, signal?: AbortSignal): Promise<string> {
  const timeout = AbortSignal.timeout(llm.timeoutMs);
  const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
  if (llm.apiKey) headers.authorization = `Bearer ${llm.apiKey}`;
  const res = await fetch(`${llm.baseUrl.replace(/\/+$/u, "")}/chat/completions`, {
    method: "POST",
    headers,
    body,
    signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
  });
  const text = await res.text();
  if (!res.ok) throw unavailable(`the model endpoint answered HTTP ${res.status}`, { status: res.status });
  return contentOf(text);
}

/** `choices[0].message.content`, as a string (content parts joined). */
function contentOf(body: string): string {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw invalid("the model endpoint's answer is not JSON");
  }
  const choice = (json as { choices?: Array<{ message?: { content?: unknown } }> }).choices?.[0];
  const content = choice?.message?.content;
  if (typeof content === "string") return content;
  if (Array.isArray(content))
    return content
      .map((p) =>
        typeof p === "object" && p !== null && typeof (p as { text?: unknown }).text === "string" ? (p as { text: string }).text : "",
      )
      .join("");
  throw invalid("the model's answer holds no message content");
}

function describe(err: unknown, llm: LlmConfig): string {
  const name = err instanceof Error ? err.name : "";
  if (name === "TimeoutError" || name === "AbortError") return `the model endpoint did not answer within ${llm.timeoutMs} ms`;
  const cause =
    err instanceof Error && err.cause instanceof Error ? ((err.cause as Error & { code?: string }).code ?? err.cause.message) : "";
  return `the model endpoint is not reachable${cause ? ` (${cause})` : ""}`;
}

const unavailable = (message: string, details: Record<string, unknown>) =>
  new QuireError(ErrorCode.LlmUnavailable, message, details, { retryable: false });
const invalid = (message: string) => new QuireError(ErrorCode.LlmInvalidResponse, message, {}, { retryable: false });

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
