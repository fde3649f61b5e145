import type { TermBag } from "./bm25.js";
import type { PageFeatures, PrintedNumber } from "./page-features.js";

/** One piece of evidence for (weight > 0) or against (weight < 0) a new document starting on a page. */
export interface Evidence {
  label: string;
  weight: number;
}

export interface PageBoundary {
  /** 0-based index into the bundle's pages. */
  index: number;
  /** True when the evidence alone says a new document starts here (score ≥ BOUNDARY_THRESHOLD). */
  starts: boolean;
  /** A page with no text: it starts a document only on geometric or numbering evidence (a cover), else stays with the one before. */
  blank: boolean;
  score: number;
  evidence: Evidence[];
}

/** What the boundary finder needs beyond the page features: the bundle's idf, to weigh shared vocabulary. */
export interface BoundaryContext {
  idf(term: string): number;
}

/** Page pairs needed before a similarity far below (or above) the bundle's median counts as evidence. */
const MIN_PAIRS = 5;

/** Evidence summing to this starts a document on its own. Every signal alone is below it but a page-number reset. */
export const BOUNDARY_THRESHOLD = 2;

/**
 * The evidence that a document starts on each page, from generic signals only: page-number
 * resets and jumps, a change of running header/footer, of page size or orientation, of script
 * or language, a title at the top, a drop in shared vocabulary. Each is weighed; the sum is
 * certain at BOUNDARY_THRESHOLD, and below it the segmenter weighs it against what the pages
 * say (segments.ts). A blank page has only its size and number to go by.
 */
export function findBoundaries(pages: readonly PageFeatures[], ctx: BoundaryContext): PageBoundary[] {
  const vectors = pages.map((p) => weighted(p.bag, ctx.idf));
  const sims: number[] = [];
  for (let i = 1; i < pages.length; i++) {
    const j = lastContent(pages, i);
    if (j >= 0 && !pages[i]!.blank) sims.push(cosine(vectors[i]!, vectors[j]!));
  }
  // A median of a handful of page pairs says nothing about the bundle's usual similarity.
  const medianSim = sims.length >= MIN_PAIRS ? median(sims) : 0;
  const out: PageBoundary[] = [];
  for (let i = 0; i < pages.length; i++) {
    const p = pages[i]!;
    if (i === 0) {
      out.push({ index: 0, starts: true, blank: p.blank, score: Infinity, evidence: [{ label: "first page", weight: Infinity }] });
      continue;
    }
    const ev: Evidence[] = [];
    numberEvidence(pages, i, ev);
    sizeEvidence(pages[i - 1]!, p, ev);
    const j = lastContent(pages, i);
    if (!p.blank && j >= 0) {
      const q = pages[j]!;
      runningEvidence(pages, i, ev);
      if (p.script && q.script && p.script !== q.script) ev.push({ label: `script changes (${q.script} → ${p.script})`, weight: 2 });
      else if (p.language && q.language && p.language !== q.language)
        ev.push({ label: `language changes (${q.language} → ${p.language})`, weight: 1.5 });
      if (p.title) ev.push({ label: `title '${p.title}'`, weight: 1 });
      const sim = cosine(vectors[i]!, vectors[j]!);
      if (medianSim > 0 && sim < 0.3 * medianSim)
        ev.push({ label: `vocabulary drop (similarity ${sim.toFixed(2)} vs median ${medianSim.toFixed(2)})`, weight: 1 });
      else if (medianSim > 0 && sim >= medianSim) ev.push({ label: "shared vocabulary", weight: -0.5 });
    }
    const score = ev.reduce((s, e) => s + e.weight, 0);
    out.push({ index: i, starts: !p.blank && score >= BOUNDARY_THRESHOLD, blank: p.blank, score, evidence: ev });
  }
  return out;
}

/** The printed numbers: a reset to 1, a step back, a jump, a new "of N"; or the expected next number, which argues against a boundary. */
function numberEvidence(pages: readonly PageFeatures[], i: number, ev: Evidence[]): void {
  const cur = pages[i]!.number;
  if (!cur) return;
  let j = i - 1;
  while (j >= 0 && !pages[j]!.number) j--;
  const prev: PrintedNumber | undefined = j >= 0 ? pages[j]!.number : undefined;
  const show = `'${cur.text}'`;
  if (cur.value === 1 && cur.of !== undefined) {
    ev.push({ label: `${show} reset`, weight: 3 });
    return;
  }
  if (!prev || prev.roman !== cur.roman) {
    if (cur.value === 1 && !cur.roman && !prev) ev.push({ label: `numbered ${show}`, weight: 1 });
    return;
  }
  const step = i - j;
  if (prev.of !== undefined && cur.of !== undefined && prev.of !== cur.of) ev.push({ label: `${show} after '${prev.text}'`, weight: 2 });
  else if (prev.of !== undefined && prev.value === prev.of) ev.push({ label: `'${prev.text}' was the last page`, weight: 2 });
  if (cur.value === prev.value + step) ev.push({ label: "page numbers continue", weight: -2.5 });
  else if (cur.value === 1) ev.push({ label: `page number back to 1 (${show})`, weight: 2.5 });
  else if (cur.value <= prev.value) ev.push({ label: `page number goes back (${prev.value} → ${cur.value})`, weight: 1.5 });
  else if (cur.value > prev.value + step + 1) ev.push({ label: `page number jumps (${prev.value} → ${cur.value})`, weight: 1 });
}

function sizeEvidence(q: PageFeatures, p: PageFeatures, ev: Evidence[]): void {
  const landscape = (x: PageFeatures) => x.width > x.height * 1.05;
  if (landscape(p) !== landscape(q)) ev.push({ label: "orientation changes", weight: 2 });
  else if (Math.abs(p.width - q.width) > 3 || Math.abs(p.height - q.height) > 3)
    ev.push({ label: `page size changes (${fmt(q)} → ${fmt(p)})`, weight: 1.5 });
}

const fmt = (x: PageFeatures) => `${Math.round(x.width)}×${Math.round(x.height)}`;

/** Running heads alternate on facing pages, so the page is compared with the two content pages before it. */
function runningEvidence(pages: readonly PageFeatures[], i: number, ev: Evidence[]): void {
  const p = pages[i]!;
  const before: PageFeatures[] = [];
  for (let j = i - 1; j >= 0 && before.length < 2; j--) if (!pages[j]!.blank) before.push(pages[j]!);
  const withRunning = before.filter((q) => q.running.size > 0);
  if (withRunning.length === 0) return;
  if (p.running.size === 0) {
    // A running head that held over the pages before stops: often the next document's first page.
    const [a, b] = before;
    if (a && b && a.running.size > 0 && jaccard(a.running, b.running) >= 0.5)
      ev.push({ label: `running header/footer '${a.runningSample ?? ""}' stops`, weight: 1 });
    return;
  }
  const best = Math.max(...withRunning.map((q) => jaccard(p.running, q.running)));
  if (best >= 0.5) ev.push({ label: "same running header/footer", weight: -1.5 });
  else if (best < 0.2) {
    const was = withRunning[0]!.runningSample ?? "";
    ev.push({ label: `running header/footer changes ('${was}' → '${p.runningSample ?? ""}')`, weight: 1.5 });
  }
}

/** Running texts are compared word by word, so "Page", a date or a sheet name changing alone does not count as a new header. */
function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  const wa = new Set([...a].flatMap((s) => s.split(" ")));
  const wb = new Set([...b].flatMap((s) => s.split(" ")));
  let inter = 0;
  for (const w of wa) if (wb.has(w)) inter++;
  const union = wa.size + wb.size - inter;
  return union === 0 ? 0 : inter / union;
}

function lastContent(pages: readonly PageFeatures[], i: number): number {
  let j = i - 1;
  while (j >= 0 && pages[j]!.blank) j--;
  return j;
}

function weighted(bag: TermBag, idf: (t: string) => number): Map<string, number> {
  const v = new Map<string, number>();
  for (const [t, tf] of bag) v.set(t, (1 + Math.log(tf)) * idf(t));
  return v;
}

function cosine(a: Map<string, number>, b: Map<string, number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [t, x] of a) {
    na += x * x;
    const y = b.get(t);
    if (y !== undefined) dot += x * y;
  }
  for (const y of b.values()) nb += y * y;
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

function median(xs: readonly number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
