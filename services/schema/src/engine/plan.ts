/**
 * The schema's field tree as search work: scalar properties of the document (at any object
 * depth), and arrays, each with the specs of its item properties. Shared by both engines so
 * that the LLM engine recovers citations for exactly the pointers the deterministic one fills.
 */
import { leafSpec, type LeafSpec } from "./fields.js";
import type { ArrayField, ObjectField } from "@quire/json-schema";

/** One array property of the schema and how to fill its items. */
export interface ArrayPlan {
  /** Property names from the root to the array. */
  path: string[];
  field: ArrayField;
  /** Specs of the item object's scalar properties (paths relative to one item); empty for arrays of scalars. */
  itemSpecs: LeafSpec[];
  /** For an array of scalars: the spec of one element (named after the array). */
  scalarSpec?: LeafSpec;
}

/** All the search work a schema asks for. */
export interface Plan {
  leaves: LeafSpec[];
  arrays: ArrayPlan[];
}

/** Walks the root object: nested objects contribute leaves, arrays contribute array plans (items are not nested further). */
export function planOf(root: ObjectField): Plan {
  const plan: Plan = { leaves: [], arrays: [] };
  walk(root, [], plan);
  return plan;
}

function walk(obj: ObjectField, path: string[], plan: Plan): void {
  for (const [name, field] of obj.properties) {
    const at = [...path, name];
    if (field.kind === "scalar") plan.leaves.push(leafSpec(field, at, path, "doc"));
    else if (field.kind === "object") walk(field, at, plan);
    else plan.arrays.push(arrayPlan(field, at, path));
  }
}

function arrayPlan(field: ArrayField, path: string[], ancestors: string[]): ArrayPlan {
  const items = field.items;
  if (items.kind === "scalar") {
    return {
      path,
      field,
      itemSpecs: [],
      scalarSpec: leafSpec({ ...items, name: field.name, title: items.title ?? field.title ?? "" }, [], ancestors, "doc"),
    };
  }
  const itemSpecs: LeafSpec[] = [];
  for (const [name, sub] of items.properties)
    if (sub.kind === "scalar") itemSpecs.push(leafSpec(sub, [name], [...ancestors, field.name], "item"));
  return { path, field, itemSpecs };
}
