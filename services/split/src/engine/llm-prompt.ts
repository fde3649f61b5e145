import { z } from "zod";
import type { SplitInput, SplitRequest } from "./types.js";

/** The whole prompt stays around this many characters of page text, however long the bundle. */
const PAGE_TEXT_BUDGET = 60_000;
const MIN_PAGE_CHARS = 300;
const MAX_PAGE_CHARS = 2_000;

/** The JSON the model is asked for; anything else is LLM_INVALID_RESPONSE. */
export const llmAnswer = z.object({
  sections: z.array(
    z.object({
      name: z.string(),
      pages: z.array(z.number().int()),
      confidence: z.number().min(0).max(1).optional(),
      reason: z.string().optional(),
      partitions: z.array(z.object({ key: z.string(), pages: z.array(z.number().int()) })).optional(),
    }),
  ),
});
export type LlmAnswer = z.infer<typeof llmAnswer>;

export interface ChatMessage {
  role: "system" | "user";
  content: string;
}

const SYSTEM = [
  "You split a bundle of concatenated documents into the named sections the user defines.",
  "Assign whole pages. A page belongs to at most one section; leave out pages that fit no section.",
  "Keep the pages of one document together. A section may own several separate page ranges.",
  'For a section with a partition_key, list each distinct document of that section as a partition keyed by that value as printed ("" when not printed).',
  "Answer with one JSON object only, no prose:",
  '{"sections":[{"name":"<section name as given>","pages":[1,2],"confidence":0.9,"reason":"<short evidence>","partitions":[{"key":"<value>","pages":[1,2]}]}]}',
].join("\n");

/** Chat messages for a split: the sections, the user's rules, and each page's text cut to a share of a fixed budget. */
export function splitMessages(input: SplitInput, req: SplitRequest): ChatMessage[] {
  const pages = [...input.pages].sort((a, b) => a.page_number - b.page_number);
  const perPage = Math.max(MIN_PAGE_CHARS, Math.min(MAX_PAGE_CHARS, Math.floor(PAGE_TEXT_BUDGET / Math.max(1, pages.length))));
  const sections = req.sections.map((s) => ({
    name: s.name,
    description: s.description,
    ...(s.partition_key ? { partition_key: s.partition_key } : {}),
  }));
  const body = pages.map((p) => {
    const text = p.blocks
      .map((b) => b.text.trim())
      .filter((t) => t !== "")
      .join("\n");
    const cut = text.length > perPage ? `${text.slice(0, perPage)} […]` : text;
    return `--- page ${p.page_number} ---\n${cut || "(blank page)"}`;
  });
  const user = [
    `Sections:\n${JSON.stringify(sections, null, 1)}`,
    ...(req.rules?.trim() ? [`Rules from the user:\n${req.rules.trim()}`] : []),
    `The bundle has ${pages.length} pages (numbers ${pages[0]?.page_number ?? 1}–${pages.at(-1)?.page_number ?? pages.length}):`,
    ...body,
  ].join("\n\n");
  return [
    { role: "system", content: SYSTEM },
    { role: "user", content: user },
  ];
}

/** The model's message content as JSON; models sometimes wrap it in a ``` fence despite the json mode. */
export function parseAnswer(content: string): LlmAnswer | undefined {
  const unfenced = content
    .trim()
    .replace(/^```(?:json)?\s*/iu, "")
    .replace(/\s*```$/u, "");
  let raw: unknown;
  try {
    raw = JSON.parse(unfenced);
  } catch {
    return undefined;
  }
  const parsed = llmAnswer.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}
