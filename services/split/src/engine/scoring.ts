import type { SplitSectionInput } from "@quire/contracts";
import { addTerms, type Bm25Index, type Bm25Score, type TermBag } from "./bm25.js";
import { terms, words, term } from "./text.js";

/** A section as a BM25 query: its name counts twice, its description once. */
export interface SectionQuery {
  name: string;
  bag: TermBag;
  /** Index term → the word as the user wrote it, so reasons quote the user's words. */
  surface: Map<string, string>;
}

/** Turns a section into its query; the name is weighed up because it is the user's shortest statement of what they want. */
export function sectionQuery(s: SplitSectionInput): SectionQuery {
  const bag: TermBag = new Map();
  addTerms(bag, terms(s.name), 2);
  addTerms(bag, terms(s.description), 1);
  const surface = new Map<string, string>();
  for (const w of [...words(s.name), ...words(s.description)]) {
    const t = term(w);
    if (t !== undefined && !surface.has(t)) surface.set(t, w);
  }
  return { name: s.name, bag, surface };
}

/**
 * The queries of a request, each term weighed down by the number of sections that use it: a word
 * in several descriptions ("number", "list") cannot tell those sections apart, like a word on
 * every page cannot tell pages apart.
 */
export function sectionQueries(sections: readonly SplitSectionInput[]): SectionQuery[] {
  const qs = sections.map(sectionQuery);
  const sf = new Map<string, number>();
  for (const q of qs) for (const t of q.bag.keys()) sf.set(t, (sf.get(t) ?? 0) + 1);
  for (const q of qs) for (const [t, w] of q.bag) q.bag.set(t, w / (sf.get(t) ?? 1));
  return qs;
}

/** scores[page][section]: every page against every section. */
export function scorePages(index: Bm25Index, queries: readonly SectionQuery[]): Bm25Score[][] {
  const out: Bm25Score[][] = [];
  for (let i = 0; i < index.size; i++) out.push(queries.map((q) => index.score(i, q.bag)));
  return out;
}
