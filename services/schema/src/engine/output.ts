/**
 * Builds `schema_output`: every property of the schema present, null where nothing was found,
 * arrays empty unless items were found, plus the JSON pointer of every value.
 */
import { pointerSegment } from "@quire/json-schema";
import type { Citation, Field, ObjectField } from "@quire/json-schema";

/** The output skeleton: objects with every property, scalars null, arrays empty. */
export function skeleton(obj: ObjectField): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, field] of obj.properties) out[name] = emptyOf(field);
  return out;
}

function emptyOf(field: Field): unknown {
  if (field.kind === "object") return skeleton(field);
  if (field.kind === "array") return [];
  return null;
}

/** JSON pointer of a path of property names / array indexes. */
export const pointerOf = (path: ReadonlyArray<string | number>): string => path.map((p) => `/${pointerSegment(String(p))}`).join("");

/** Sets `value` at `path` inside `root` (objects along the path must exist). */
export function setAt(root: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let at: Record<string, unknown> = root;
  for (const key of path.slice(0, -1)) {
    const next = at[key];
    if (typeof next !== "object" || next === null || Array.isArray(next)) return;
    at = next as Record<string, unknown>;
  }
  const last = path.at(-1);
  if (last !== undefined) at[last] = value;
}

/** Accumulates citations and confidences by pointer. */
export class Evidence {
  readonly citations: Record<string, Citation[]> = {};
  readonly confidence: Record<string, number> = {};

  add(pointer: string, citations: Citation[], confidence: number): void {
    this.citations[pointer] = citations;
    this.confidence[pointer] = Math.round(Math.max(0, Math.min(1, confidence)) * 100) / 100;
  }
}
