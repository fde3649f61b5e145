/**
 * `quire split <file|url|file_id|extraction_id> --sections sections.json`: submits a split job,
 * follows its progress on stderr, and prints the sections and their page ranges (or the JSON).
 */
import { readFile, writeFile } from "node:fs/promises";
import { resultOf } from "./operation.js";
import type { SplitConfig, SplitOptions, SplitResult } from "./types.js";
import { submitAndFollow } from "./cli-follow.js";
import {
  EXIT_OK,
  UsageError,
  formatTable,
  oneOf,
  parseOptionFlags,
  requireArg,
  resolveSplitInput,
  stringFlag,
  type CliContext,
} from "./cli-support.js";

export async function splitCommand(ctx: CliContext): Promise<number> {
  const arg = requireArg(ctx, "file, URL, file_id or extraction_id");
  const options = await splitOptions(ctx); // a bad sections file is reported before anything is uploaded
  const input = await resolveSplitInput(arg);
  const job = await submitAndFollow(ctx, () => ctx.quire.split.submit(input, options));
  if (typeof job === "number") return job;
  await writeResult(ctx, resultOf(job, "split"));
  return EXIT_OK;
}

async function splitOptions(ctx: CliContext): Promise<SplitOptions> {
  const path = stringFlag(ctx.flags, "sections");
  if (!path) throw new UsageError("missing --sections <sections.json>: the sections to split into");
  const splitConfig = sectionsFile(await readFile(path, "utf8"), path);
  const engine = oneOf(ctx.flags, "engine", ["deterministic", "llm"] as const);
  return { ...parseOptionFlags(ctx.flags), splitConfig, ...(engine ? { engine } : {}) };
}

/**
 * `sections.json`: an array of `{ name, description, partition_key? }`, or a whole `split_config`
 * (`{ split_input: [...], split_rules? }`). Only the shape is checked here; the server checks
 * the rest (1–50 sections, unique names) and names each problem.
 */
export function sectionsFile(text: string, path: string): SplitConfig {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${path} is not valid JSON: ${(err as Error).message}`);
  }
  const config = Array.isArray(parsed) ? { split_input: parsed } : parsed;
  const sections = (config as { split_input?: unknown } | null)?.split_input;
  if (typeof config !== "object" || config === null || !Array.isArray(sections))
    throw new UsageError(
      `${path} must hold an array of sections [{ "name", "description", "partition_key"? }] or a split_config object { "split_input": [...] }`,
    );
  sections.forEach((s: unknown, i) => {
    if (typeof (s as { name?: unknown } | null)?.name !== "string")
      throw new UsageError(`${path}: section ${i + 1} needs a "name" (and a "description" of its pages)`);
  });
  return config as SplitConfig;
}

/** `--out` gets the JSON (and `--json` prints it); otherwise a table of sections goes to stdout. */
async function writeResult(ctx: CliContext, result: SplitResult): Promise<void> {
  const out = stringFlag(ctx.flags, "out");
  const json = `${JSON.stringify(result, null, 2)}\n`;
  if (out) await writeFile(out, json);
  if (ctx.flags["json"]) ctx.stdout.write(json);
  else if (!out) ctx.stdout.write(splitTable(result));
  if (out) ctx.stderr.write(`split ${result.page_count} page(s) into ${result.splits.length} section(s) → ${out}\n`);
  ctx.stderr.write(`to split again without parsing: quire split ${result.extraction_id} --sections <file>\n`);
}

/**
 * Sections → page ranges, with each partition indented under its section, then the pages no
 * section claimed:
 *
 * ```
 * SECTION     PAGES  CONFIDENCE  REASON
 * invoice     1-3,7  0.92        title page 'Invoice'
 *   INV-1042  1-3
 *   INV-1043  7
 * contract    4-6    0.81        heading 'Service Agreement'
 * unassigned pages: 8
 * ```
 */
export function splitTable(result: SplitResult): string {
  const rows: string[][] = [];
  for (const s of result.splits) {
    rows.push([s.name, s.page_ranges || "-", s.confidence.toFixed(2), s.reason]);
    for (const p of s.partitions ?? []) rows.push([`  ${p.key || "(no key)"}`, p.page_ranges || "-", "", ""]);
  }
  const unassigned = result.unassigned_pages.length > 0 ? pageRanges(result.unassigned_pages) : "none";
  return `${formatTable(["SECTION", "PAGES", "CONFIDENCE", "REASON"], rows)}unassigned pages: ${unassigned}\n`;
}

/** `[1, 2, 3, 7]` → `"1-3,7"`. */
export function pageRanges(pages: readonly number[]): string {
  const sorted = [...new Set(pages)].sort((a, b) => a - b);
  const ranges: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === (sorted[j] ?? 0) + 1) j++;
    ranges.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return ranges.join(",");
}
