/**
 * The offline engine: fills a JSON Schema from an extraction with label–value pairs, address
 * blocks, self-evident values and line-item tables, citing the block or cell of every value.
 * It never guesses: a property the document does not answer stays null.
 */
import type { Extraction } from "@quire/contracts";
import { findAddresses, type ParsedAddress } from "./address.js";
import type { DateOrder } from "./coerce.js";
import { buildDoc, citationOf, citationsOf, type Doc, type Segment } from "./document.js";
import { fillFromAddress, fillSelfEvident, fillTitle } from "./fallbacks.js";
import type { LeafSpec } from "./fields.js";
import { fillItems } from "./items.js";
import { buildLexicon, findLabels, type LabelOcc } from "./labels.js";
import { Evidence, pointerOf, setAt, skeleton } from "./output.js";
import { planOf, type ArrayPlan } from "./plan.js";
import { fillLabeled, type Filled } from "./scalars.js";
import { phraseOf, similarity } from "./text.js";
import { readAll } from "./values.js";
import type { CheckedSchema, SchemaOutcome } from "@quire/json-schema";

/**
 * Fills `checked` from `extraction`. `prompt` is optional guidance; this engine reads only how
 * dates are written from it ("dates are MM/DD/YYYY"), the LLM engine uses all of it.
 */
export function fillDeterministic(extraction: Extraction, checked: CheckedSchema, prompt?: string): SchemaOutcome {
  const doc = buildDoc(extraction, dateHintOf(prompt));
  const plan = planOf(checked.root);
  const specs = [...plan.leaves, ...plan.arrays.flatMap((a) => [...a.itemSpecs, ...(a.scalarSpec ? [a.scalarSpec] : [])])];
  const labels = findLabels(doc, buildLexicon(specs.flatMap((s) => s.phrases.filter((p) => p.weight >= 0.9).map((p) => p.words))));
  const output = skeleton(checked.root);
  const evidence = new Evidence();
  const filled = fillScalars(plan.leaves, doc, labels);
  for (const spec of plan.leaves) {
    const f = filled.get(spec);
    if (!f) continue;
    setAt(output, spec.path, f.value);
    evidence.add(pointerOf(spec.path), citationsOf(f.segs), f.confidence);
  }
  for (const array of plan.arrays) setAt(output, array.path, fillArray(array, doc, labels, evidence));
  return { schema_output: output, citations: evidence.citations, confidence: evidence.confidence, validation: checked.validate(output) };
}

/** Labels first; then addresses; then values that are self-evident, and the title block. */
function fillScalars(leaves: readonly LeafSpec[], doc: Doc, labels: readonly LabelOcc[]): Map<LeafSpec, Filled> {
  const filled = fillLabeled(leaves, doc, labels);
  let addresses: ParsedAddress[] | undefined;
  for (const spec of leaves) {
    if (filled.has(spec)) continue;
    if (spec.concept?.addressPart) addresses ??= findAddresses(doc);
    const f =
      (addresses && fillFromAddress(withSiblingRole(spec, leaves), addresses)) ?? fillSelfEvident(spec, doc) ?? fillTitle(spec, doc);
    if (f) filled.set(spec, f);
  }
  return filled;
}

/** An address part without a party ("state_code") takes the party of its sibling address parts ("partner_city"), when they agree. */
function withSiblingRole(spec: LeafSpec, leaves: readonly LeafSpec[]): LeafSpec {
  if (spec.role) return spec;
  const parent = spec.path.slice(0, -1).join("/");
  const roles = new Set(
    leaves.filter((l) => l !== spec && l.concept?.addressPart && l.path.slice(0, -1).join("/") === parent).map((l) => l.role),
  );
  const [only] = roles;
  return roles.size === 1 && only ? { ...spec, role: only } : spec;
}

function fillArray(array: ArrayPlan, doc: Doc, labels: readonly LabelOcc[], evidence: Evidence): unknown[] {
  const items = array.field.items;
  if (array.scalarSpec) return scalarArray(array, array.scalarSpec, doc, evidence);
  if (items.kind !== "object") return [];
  return fillItems(array.itemSpecs, doc, labels).map((found, index) => {
    const item = skeleton(items);
    for (const spec of array.itemSpecs) {
      const f = found.get(spec);
      if (!f) continue;
      setAt(item, spec.path, f.value);
      evidence.add(pointerOf([...array.path, index, ...spec.path]), citationsOf(f.segs), f.confidence);
    }
    return item;
  });
}

/** An array of scalars: every distinct self-evident value (e-mails, dates, …) or the cells under its column title. */
function scalarArray(array: ArrayPlan, spec: LeafSpec, doc: Doc, evidence: Evidence): unknown[] {
  const values: unknown[] = [];
  const seen = new Set<string>();
  const column = columnUnder(spec, doc);
  const sources = column ?? (["email", "url", "phone", "iban", "date"].includes(spec.shape) ? doc.segments : []);
  for (const seg of sources) {
    for (const hit of column ? readAll(spec, seg.text, doc.dateOrder, 1) : readAll(spec, seg.text, doc.dateOrder)) {
      if (seen.has(String(hit.value))) continue;
      seen.add(String(hit.value));
      evidence.add(pointerOf([...array.path, values.length]), [citationOf(seg)], hit.quality * (column ? 0.8 : 0.6));
      values.push(hit.value);
    }
  }
  return values;
}

/** The cells below a table header cell that names the array. */
function columnUnder(spec: LeafSpec, doc: Doc): Segment[] | undefined {
  for (const seg of doc.segments) {
    const cell = seg.cell;
    if (!cell || cell.row !== 0) continue;
    const words = phraseOf(seg.text);
    if (!spec.phrases.some((p) => p.weight >= 0.9 && similarity(p.words, words) === 1)) continue;
    const rows = doc.tables[cell.table]?.rows.slice(1) ?? [];
    return rows.flatMap((row) => row.map((i) => doc.segments[i]).filter((s): s is Segment => s?.cell?.col === cell.col));
  }
  return undefined;
}

/** "MM/DD" in the prompt means month first, "DD/MM" day first. */
function dateHintOf(prompt: string | undefined): DateOrder | undefined {
  if (!prompt) return undefined;
  if (/\bmm[./-]dd\b/iu.test(prompt) || /month\s+(?:first|before)/iu.test(prompt)) return "mdy";
  if (/\bdd[./-]mm\b/iu.test(prompt) || /day\s+(?:first|before)/iu.test(prompt)) return "dmy";
  return undefined;
}
