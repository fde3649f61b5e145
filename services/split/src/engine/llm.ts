import type { SplitPartition, SplitSectionResult } from "@quire/contracts";
import { ErrorCode, QuireError } from "@quire/runtime";
import { parseAnswer, splitMessages, type LlmAnswer } from "./llm-prompt.js";
import { ascending, toRanges } from "./ranges.js";
import type { SplitInput, SplitOutcome, SplitRequest } from "./types.js";

/** Where the OpenAI-compatible endpoint is; the same shape as the runtime's LlmConfig. */
export interface LlmSettings {
  /** e.g. http://localhost:11434/v1: `/chat/completions` is appended. */
  baseUrl: string;
  model: string;
  /** Sent as `Authorization: Bearer`; never logged nor put in an error. */
  apiKey?: string;
  /** Time limit of one attempt. */
  timeoutMs: number;
}

/** Pause before the one retry of an unreachable endpoint. */
const RETRY_PAUSE_MS = 500;
const REASON_CHARS = 200;

/**
 * Splits with a language model behind any OpenAI-compatible chat-completions endpoint, for
 * bundles whose kinds the word statistics of the deterministic engine cannot tell apart. The
 * answer is checked, not trusted: unknown sections, pages out of range and pages claimed twice
 * are dropped. Throws LLM_UNAVAILABLE (after one retry) or LLM_INVALID_RESPONSE, not retryable
 * by the stage, so the job fails with that code.
 */
export async function splitWithLlm(input: SplitInput, req: SplitRequest, llm: LlmSettings, signal?: AbortSignal): Promise<SplitOutcome> {
  const content = await complete(llm, splitMessages(input, req), signal);
  const answer = parseAnswer(content);
  if (!answer)
    throw new QuireError(
      ErrorCode.LlmInvalidResponse,
      `the model '${llm.model}' did not answer the JSON asked for; use a model that supports JSON output (response_format json_object) or the deterministic engine`,
      { model: llm.model },
      { retryable: false },
    );
  return outcomeOf(answer, input, req);
}

/** One chat completion, retried once after a short pause when the endpoint cannot be reached, times out or answers non-2xx. */
async function complete(llm: LlmSettings, messages: unknown, signal: AbortSignal | undefined): Promise<string> {
  const url = `${llm.baseUrl.replace(/\/+$/u, "")}/chat/completions`;
  const body = JSON.stringify({ model: llm.model, messages, temperature: 0, response_format: { type: "json_object" } });
  const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
  if (llm.apiKey) headers.authorization = `Bearer ${llm.apiKey}`;
  let failure = "";
  for (let attempt = 0; attempt < 2; attempt++) {
    if (attempt > 0) await pause(RETRY_PAUSE_MS, signal);
    const timeout = AbortSignal.timeout(llm.timeoutMs);
    const both = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let res: Response;
    let text: string;
    try {
      res = await fetch(url, { method: "POST", headers, body, signal: both });
      text = await res.text();
    } catch (err) {
      if (signal?.aborted) throw signal.reason ?? err;
      failure = timeout.aborted ? `did not answer within ${llm.timeoutMs} ms` : `could not be reached (${causeOf(err)})`;
      continue;
    }
    if (!res.ok) {
      failure = `answered HTTP ${res.status}${text ? `: ${scrub(text.slice(0, 200), llm.apiKey)}` : ""}`;
      continue;
    }
    return contentOf(text, llm);
  }
  throw new QuireError(
    ErrorCode.LlmUnavailable,
    `the LLM endpoint ${url} ${failure}; check QUIRE_LLM_BASE_URL, QUIRE_LLM_MODEL and QUIRE_LLM_API_KEY and that the model server is up, raise QUIRE_LLM_TIMEOUT_MS for slow models, or use the deterministic engine`,
    { url, model: llm.model },
    { retryable: false },
  );
}

/** choices[0].message.content of a chat-completions answer. */
function contentOf(text: string, llm: LlmSettings): string {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    raw = undefined;
  }
  const content = (raw as { choices?: Array<{ message?: { content?: unknown } }> } | undefined)?.choices?.[0]?.message?.content;
  if (typeof content !== "string")
    throw new QuireError(
      ErrorCode.LlmInvalidResponse,
      `the endpoint did not answer in the chat-completions format (choices[0].message.content); point QUIRE_LLM_BASE_URL at an OpenAI-compatible /v1 base URL`,
      { model: llm.model },
      { retryable: false },
    );
  return content;
}

/** The checked answer as a SplitOutcome: sections in the request's order, pages ascending, each page at most once. */
export function outcomeOf(answer: LlmAnswer, input: SplitInput, req: SplitRequest): SplitOutcome {
  const valid = new Set(input.pages.map((p) => p.page_number));
  const byName = new Map(req.sections.map((s, k) => [s.name.trim().toLowerCase(), k] as const));
  const claims = new Map<number, Set<number>>();
  const answers = new Map<number, LlmAnswer["sections"]>();
  for (const a of answer.sections) {
    const k = byName.get(a.name.trim().toLowerCase());
    if (k === undefined) continue;
    answers.set(k, [...(answers.get(k) ?? []), a]);
    for (const p of a.pages) if (valid.has(p)) claims.set(p, (claims.get(p) ?? new Set()).add(k));
  }
  const contested = new Set([...claims].filter(([, ks]) => ks.size > 1).map(([p]) => p));
  const splits = req.sections.map((s, k): SplitSectionResult => {
    const mine = answers.get(k) ?? [];
    const pages = ascending(mine.flatMap((a) => a.pages).filter((p) => valid.has(p) && !contested.has(p)));
    const said = mine
      .map((a) => a.reason?.trim())
      .filter((r): r is string => !!r)
      .join(" ")
      .slice(0, REASON_CHARS);
    const conf = mine.map((a) => a.confidence).find((c) => c !== undefined);
    const dropped = mine.flatMap((a) => a.pages).filter((p) => contested.has(p));
    const result: SplitSectionResult = {
      name: s.name,
      pages,
      page_ranges: toRanges(pages),
      confidence: pages.length === 0 ? 0 : (conf ?? 0.5),
      reason: `llm: ${said || (pages.length ? "assigned by the model" : "the model gave it no pages")}${dropped.length ? ` (pages ${toRanges(dropped)} also claimed by another section, dropped)` : ""}`,
    };
    if (s.partition_key !== undefined) result.partitions = partitionsOf(mine, pages);
    return result;
  });
  const claimed = new Set(splits.flatMap((s) => s.pages));
  return { splits, unassigned_pages: ascending([...valid].filter((p) => !claimed.has(p))) };
}

/** The model's partitions cut to the section's pages, each page in one partition; pages it left out form a "" partition. */
function partitionsOf(answers: LlmAnswer["sections"], pages: readonly number[]): SplitPartition[] {
  const left = new Set(pages);
  const out: SplitPartition[] = [];
  for (const part of answers.flatMap((a) => a.partitions ?? [])) {
    const ps = ascending(part.pages.filter((p) => left.has(p)));
    if (ps.length === 0) continue;
    for (const p of ps) left.delete(p);
    const same = out.find((o) => o.key === part.key.trim());
    if (same) {
      same.pages = ascending([...same.pages, ...ps]);
      same.page_ranges = toRanges(same.pages);
    } else out.push({ key: part.key.trim(), pages: ps, page_ranges: toRanges(ps) });
  }
  if (left.size > 0) {
    const ps = ascending(left);
    out.push({ key: "", pages: ps, page_ranges: toRanges(ps) });
  }
  return out.sort((a, b) => (a.pages[0] ?? 0) - (b.pages[0] ?? 0));
}

function causeOf(err: unknown): string {
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  const code = (cause as { code?: unknown } | undefined)?.code;
  return typeof code === "string" ? code : cause instanceof Error ? cause.message : String(cause);
}

/** An endpoint may echo the request: the key is cut out of anything put into an error. */
function scrub(text: string, key: string | undefined): string {
  return key ? text.split(key).join("***") : text;
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason);
    };
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
