/** A small BM25 over weighted term bags: pages are the documents, a section's words the query. */

export type TermBag = Map<string, number>;

export interface Bm25Options {
  k1: number;
  b: number;
}

/** One query term's share of a page's score, kept so a reason can name the words that matched. */
export interface TermHit {
  term: string;
  score: number;
}

export interface Bm25Score {
  /** Raw BM25. */
  raw: number;
  /** raw over the best a page could reach on this query (every term present, saturated): 0..1, comparable across sections. */
  normalized: number;
  hits: TermHit[];
}

export interface Bm25Index {
  idf(term: string): number;
  score(doc: number, query: TermBag): Bm25Score;
  readonly size: number;
}

/** A query word this long or longer also matches the page words it begins: "factuur" reads "factuurnummer", "invoice" "invoicenumber". */
export const MIN_PREFIX = 5;

/** Adds `weight` occurrences of each term to a bag. */
export function addTerms(bag: TermBag, ts: readonly string[], weight = 1): TermBag {
  for (const t of ts) bag.set(t, (bag.get(t) ?? 0) + weight);
  return bag;
}

/**
 * Builds the index over the bundle's own pages, so idf reflects this bundle: a word on every
 * page (a running title, a language's filler) weighs little, a word on two pages a lot. A query
 * term matches its own stem and the longer page words it is a prefix of (compounds, derived
 * forms), counted as one term for tf and df.
 */
export function bm25Index(docs: readonly TermBag[], opts: Bm25Options = { k1: 1.2, b: 0.75 }): Bm25Index {
  const lengths = docs.map((d) => [...d.values()].reduce((a, b) => a + b, 0));
  const avg = Math.max(1, lengths.reduce((a, b) => a + b, 0) / Math.max(1, docs.length));
  const n = docs.length;
  const vocab = [...new Set(docs.flatMap((d) => [...d.keys()]))].sort();
  const cache = new Map<string, { members: string[]; df: number }>();
  const expand = (t: string) => {
    let e = cache.get(t);
    if (!e) {
      const members = [...t].length >= MIN_PREFIX ? withPrefix(vocab, t) : vocab.includes(t) ? [t] : [];
      const df = docs.filter((d) => members.some((m) => d.has(m))).length;
      e = { members, df };
      cache.set(t, e);
    }
    return e;
  };
  const idf = (t: string): number => {
    const f = expand(t).df;
    return Math.log(1 + (n - f + 0.5) / (f + 0.5));
  };
  return {
    size: n,
    idf,
    score(doc, query) {
      const bag = docs[doc];
      const len = lengths[doc] ?? 0;
      const hits: TermHit[] = [];
      let raw = 0;
      let best = 0;
      for (const [t, qw] of query) {
        const w = qw * idf(t);
        best += w * (opts.k1 + 1);
        let tf = 0;
        for (const m of expand(t).members) tf += bag?.get(m) ?? 0;
        if (tf <= 0) continue;
        const s = (w * tf * (opts.k1 + 1)) / (tf + opts.k1 * (1 - opts.b + (opts.b * len) / avg));
        raw += s;
        hits.push({ term: t, score: s });
      }
      return { raw, normalized: best > 0 ? raw / best : 0, hits };
    },
  };
}

/** The words of a sorted vocabulary that begin with `prefix`, by binary search. */
function withPrefix(sorted: readonly string[], prefix: string): string[] {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < prefix) lo = mid + 1;
    else hi = mid;
  }
  const out: string[] = [];
  for (let i = lo; i < sorted.length && sorted[i]!.startsWith(prefix); i++) out.push(sorted[i]!);
  return out;
}
