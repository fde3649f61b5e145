/**
 * Per-property search plans: the phrases a property may be labelled with, its concept (from
 * the synonym table), its value shape and its party role. Built once per schema from names,
 * titles and descriptions, so the document search never looks at the schema again.
 */
import { CONCEPTS, type Concept, type Scope, type Shape, type TypeFamily } from "./concepts.js";
import { canonical, nameWords, phraseOf, similarity } from "./text.js";
import type { ScalarField } from "@quire/json-schema";

/** Which party of the document a property is about. */
export type Role = "seller" | "buyer";

/** Canonical words a label may use for a property, and how surely they name it (0..1). */
export interface Phrase {
  words: string[];
  weight: number;
}

/** One scalar property and how to look for it. */
export interface LeafSpec {
  /** Property names from the object the search runs in (the root, or one line item). */
  path: string[];
  field: ScalarField;
  phrases: Phrase[];
  concept?: Concept;
  shape: Shape;
  role?: Role;
}

// "partner" is what Odoo and invoice2data call the other party of a vendor bill: its issuer.
const SELLER_WORDS = new Set(["seller", "supplier", "vendor", "issuer", "merchant", "partner", "biller", "provider", "company", "sender"]);
const BUYER_WORDS = new Set(["customer", "client", "buyer", "recipient", "purchaser", "debtor", "consignee"]);
/** Role words only beside "to"/"address" ("bill_to", "shipping_address"), else ordinary words ("ship_date"). */
const WEAK_BUYER_WORDS = new Set(["bill", "billing", "ship", "shipping", "sold", "deliver", "delivery", "invoice"]);

/** The role words of a name, given all words around it. */
function roleWords(words: readonly string[], context: readonly string[]): Set<string> {
  const weak = context.includes("to") || context.includes("address");
  const out = new Set<string>();
  for (const w of words) if (SELLER_WORDS.has(w) || BUYER_WORDS.has(w) || (weak && (WEAK_BUYER_WORDS.has(w) || w === "to"))) out.add(w);
  return out;
}

const familyOf = (field: ScalarField): TypeFamily => (field.type === "string" ? "string" : field.type === "boolean" ? "boolean" : "number");

/** Builds the search plan of a scalar property; `ancestors` are the names of the objects it sits in. */
export function leafSpec(field: ScalarField, path: string[], ancestors: string[], scope: Exclude<Scope, "any">): LeafSpec {
  const own = nameWords(field.name);
  const context = [...ancestors.flatMap((a) => nameWords(a)), ...own];
  const role = roleOf(roleWords(context, context));
  const ownRoles = roleWords(own, context);
  const stripped = own.filter((w) => !ownRoles.has(w));
  const phrases: Phrase[] = [{ words: canonical(own), weight: 1 }];
  if (stripped.length > 0 && stripped.length < own.length) phrases.push({ words: canonical(stripped), weight: 0.95 });
  if (field.title) phrases.push({ words: phraseOf(field.title), weight: 1 });
  const description = field.description ? phraseOf(field.description) : [];
  if (description.length > 0 && description.length <= 6) phrases.push({ words: description, weight: 0.9 });
  const concept = conceptOf(
    phrases.filter((p) => p.words.length > 0),
    familyOf(field),
    scope,
  );
  if (concept) for (const l of concept.concept.labels) phrases.push({ words: l.words, weight: l.weight * concept.score });
  const spec: LeafSpec = { path, field, phrases: phrases.filter((p) => p.words.length > 0), shape: shapeOf(field, concept?.concept) };
  if (concept) spec.concept = concept.concept;
  if (role) spec.role = role;
  return spec;
}

function roleOf(words: ReadonlySet<string>): Role | undefined {
  for (const w of words) if (BUYER_WORDS.has(w) || WEAK_BUYER_WORDS.has(w)) return "buyer";
  for (const w of words) if (SELLER_WORDS.has(w)) return "seller";
  return undefined;
}

/** The concept whose property-name keys best match the property (≥ 0.75), among those of its scope and type. */
function conceptOf(phrases: readonly Phrase[], family: TypeFamily, scope: "doc" | "item"): { concept: Concept; score: number } | undefined {
  let best: { concept: Concept; score: number } | undefined;
  for (const concept of CONCEPTS) {
    if (concept.scope !== "any" && concept.scope !== scope) continue;
    if (!concept.types.includes(family)) continue;
    for (const key of concept.keys) {
      for (const p of phrases) {
        const score = similarity(p.words, key) * Math.min(1, p.weight + 0.05);
        if (score >= 0.75 && (!best || score > best.score)) best = { concept, score };
      }
    }
  }
  return best;
}

const NUMERIC_SHAPES: ReadonlySet<Shape> = new Set(["money", "number", "percent"]);

/** The value shape: the schema's format or enum first, then the concept, then the name. */
function shapeOf(field: ScalarField, concept: Concept | undefined): Shape {
  if (field.format === "date" || field.format === "date-time") return "date";
  if (field.format === "email") return "email";
  if (field.format === "uri") return "url";
  if (field.type === "boolean") return "boolean";
  if (field.enum && field.type === "string") return "enum";
  if (field.type === "number" || field.type === "integer") return concept && NUMERIC_SHAPES.has(concept.shape) ? concept.shape : "number";
  if (concept) return concept.shape;
  const words = canonical(nameWords(field.name));
  if (words.includes("date")) return "date";
  if (words.some((w) => w === "number" || w === "id" || w === "reference")) return "id";
  return "text";
}
