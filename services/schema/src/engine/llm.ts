/**
 * The model engine: any OpenAI-compatible chat-completions endpoint reads the document text
 * and answers JSON for the schema; then every answered scalar is looked up in the extraction.
 * A value found there is cited; one found nowhere is set to null and listed in `dropped`
 * (pointers into the model's answer), so the model cannot put a value into the output that
 * the document does not hold.
 */
import type { Extraction } from "@quire/contracts";
import { ErrorCode, QuireError } from "@quire/runtime";
import { buildDoc, citationOf, type Doc } from "./document.js";
import { buildLexicon, findLabels, type LabelOcc } from "./labels.js";
import { chatCompletion, type ChatMessage, type LlmConfig } from "./llm-client.js";
import { locateValue } from "./locate.js";
import { Evidence, pointerOf, setAt, skeleton } from "./output.js";
import { planOf, type ArrayPlan } from "./plan.js";
import type { CheckedSchema, LlmOutcome } from "@quire/json-schema";

/** Where the model is (re-exported for the service). */
export type { LlmConfig } from "./llm-client.js";

/** Characters of document text sent to the model; the rest is cut (and the model told so). */
export const MAX_DOCUMENT_CHARS = 60_000;
/** Items read per array of the answer. */
const MAX_ITEMS = 500;
/** The confidence of a model value found in the document, times how exactly it was found. */
const LLM_CONFIDENCE = 0.8;

const SYSTEM = [
  "You extract data from a document into JSON that matches the given JSON Schema.",
  "Use only values written in the document. When the document does not state a value, answer null; never estimate or infer one.",
  "Copy names and identifiers exactly as written. Give numbers as JSON numbers without currency signs or thousands separators, dates as YYYY-MM-DD.",
  "Answer with the JSON object only.",
].join(" ");

/**
 * Fills `checked` with the model at `llm`, from at most {@link MAX_DOCUMENT_CHARS} of the
 * extraction's text plus the user's `prompt`.
 * @throws QuireError LLM_UNAVAILABLE / LLM_INVALID_RESPONSE (not retryable)
 */
export async function fillWithLlm(
  extraction: Extraction,
  checked: CheckedSchema,
  prompt: string | undefined,
  llm: LlmConfig,
  signal?: AbortSignal,
): Promise<LlmOutcome> {
  const content = await chatCompletion(llm, messagesFor(extraction, prompt), modelSchema(checked.schema), signal);
  const answer = parseAnswer(content);
  const doc = buildDoc(extraction);
  const plan = planOf(checked.root);
  const specs = [...plan.leaves, ...plan.arrays.flatMap((a) => a.itemSpecs)];
  const labels = findLabels(doc, buildLexicon(specs.flatMap((s) => s.phrases.filter((p) => p.weight >= 0.9).map((p) => p.words))));
  const output = skeleton(checked.root);
  const evidence = new Evidence();
  const dropped: string[] = [];
  for (const spec of plan.leaves) {
    const raw = valueAt(answer, spec.path);
    if (raw === null || raw === undefined) continue;
    const found = isScalar(raw) ? locateValue(spec, raw, doc, labels) : undefined;
    if (!found) {
      dropped.push(pointerOf(spec.path));
      continue;
    }
    evidence.add(pointerOf(spec.path), found.segs.map(citationOf), LLM_CONFIDENCE * found.quality);
    setAt(output, spec.path, found.value);
  }
  for (const array of plan.arrays) setAt(output, array.path, arrayFrom(array, valueAt(answer, array.path), doc, labels, evidence, dropped));
  return {
    schema_output: output,
    citations: evidence.citations,
    confidence: evidence.confidence,
    validation: checked.validate(output),
    dropped,
  };
}

function messagesFor(extraction: Extraction, prompt: string | undefined): ChatMessage[] {
  const text = documentText(extraction);
  const cut = text.length > MAX_DOCUMENT_CHARS;
  const user = [
    prompt ? `Instructions: ${prompt}` : "",
    `Document${cut ? ` (first ${MAX_DOCUMENT_CHARS} characters; the rest is not shown)` : ""}:`,
    "<<<",
    cut ? text.slice(0, MAX_DOCUMENT_CHARS) : text,
    ">>>",
  ]
    .filter(Boolean)
    .join("\n");
  return [
    { role: "system", content: SYSTEM },
    { role: "user", content: user },
  ];
}

/** The extraction's markdown (tables kept as tables), or its blocks when it has none. */
function documentText(extraction: Extraction): string {
  if (extraction.markdown.trim() !== "") return extraction.markdown;
  return extraction.pages.map((p) => p.blocks.map((b) => b.text).join("\n")).join("\n\n");
}

/** The user's schema without `$schema`/`$id`, which some servers refuse inside `response_format`. */
function modelSchema(schema: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _s, $id: _i, ...rest } = schema;
  return rest;
}

function parseAnswer(content: string): Record<string, unknown> {
  const unfenced = content
    .trim()
    .replace(/^```(?:json)?\s*/iu, "")
    .replace(/\s*```$/u, "");
  let json: unknown;
  try {
    json = JSON.parse(unfenced);
  } catch {
    throw new QuireError(ErrorCode.LlmInvalidResponse, "the model's answer is not JSON", {}, { retryable: false });
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new QuireError(ErrorCode.LlmInvalidResponse, "the model's answer is not a JSON object", {}, { retryable: false });
  }
  return json as Record<string, unknown>;
}

function arrayFrom(
  array: ArrayPlan,
  raw: unknown,
  doc: Doc,
  labels: readonly LabelOcc[],
  evidence: Evidence,
  dropped: string[],
): unknown[] {
  if (!Array.isArray(raw)) return [];
  const out: unknown[] = [];
  raw.slice(0, MAX_ITEMS).forEach((item, i) => {
    if (array.scalarSpec) {
      const found = isScalar(item) ? locateValue(array.scalarSpec, item, doc, labels) : undefined;
      if (!found) {
        if (item !== null) dropped.push(pointerOf([...array.path, i]));
        return;
      }
      evidence.add(pointerOf([...array.path, out.length]), found.segs.map(citationOf), LLM_CONFIDENCE * found.quality);
      out.push(found.value);
      return;
    }
    if (array.field.items.kind !== "object" || typeof item !== "object" || item === null) return;
    const built = skeleton(array.field.items);
    let kept = 0;
    for (const spec of array.itemSpecs) {
      const value = (item as Record<string, unknown>)[spec.path[0] ?? ""];
      if (value === null || value === undefined) continue;
      const found = isScalar(value) ? locateValue(spec, value, doc, labels) : undefined;
      if (!found) {
        dropped.push(pointerOf([...array.path, i, ...spec.path]));
        continue;
      }
      evidence.add(pointerOf([...array.path, out.length, ...spec.path]), found.segs.map(citationOf), LLM_CONFIDENCE * found.quality);
      setAt(built, spec.path, found.value);
      kept++;
    }
    // An item none of whose values is in the document is an invented item: left out.
    if (kept > 0) out.push(built);
  });
  return out;
}

const isScalar = (v: unknown): v is string | number | boolean => typeof v === "string" || typeof v === "number" || typeof v === "boolean";

function valueAt(obj: Record<string, unknown>, path: readonly (string | number)[]): unknown {
  let at: unknown = obj;
  for (const key of path) at = typeof at === "object" && at !== null ? (at as Record<string, unknown>)[String(key)] : undefined;
  return at;
}
