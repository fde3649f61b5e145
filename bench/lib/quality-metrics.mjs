// Scoring functions for bench/quality.mjs: fuzzy metrics against a silver-standard markdown
// (docling's), so that formatting choices (markdown syntax, line breaks, punctuation) do not
// count, only the words, their order, the headings and the table cells.

/**
 * What docling leaves as a placeholder (a picture, a formula it did not decode) has no text in
 * the ground truth. To score fairly, the same regions are removed from both sides: HTML
 * comments, and display formulas ($$…$$) in Quire's output.
 */
export function stripPlaceholders(md) {
  return md.replace(/<!--[\s\S]*?-->/gu, " ").replace(/\$\$[\s\S]*?\$\$/gu, " ");
}

/**
 * Words of a text, normalized: NFKC (ligatures, Arabic presentation forms, full-width forms),
 * lower case, runs of letters, digits and combining marks; each CJK character is a word of its
 * own (those scripts have no spaces, so "words" would depend on the segmenter). Markdown
 * syntax, table pipes and punctuation are not words.
 */
export function words(text) {
  const norm = text.normalize("NFKC").toLowerCase();
  const out = [];
  for (const m of norm.matchAll(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]|[\p{L}\p{N}\p{M}]+/gu)) out.push(m[0]);
  return out;
}

/** Bag-of-words precision, recall and F1 of `pred` against `gold`. */
export function wordF1(pred, gold) {
  const counts = new Map();
  for (const w of gold) counts.set(w, (counts.get(w) ?? 0) + 1);
  let overlap = 0;
  for (const w of pred) {
    const n = counts.get(w) ?? 0;
    if (n > 0) {
      overlap++;
      counts.set(w, n - 1);
    }
  }
  const precision = pred.length ? overlap / pred.length : 0;
  const recall = gold.length ? overlap / gold.length : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1 };
}

/**
 * Reading-order agreement: the longest common subsequence of the two word sequences, over the
 * ground truth's length. Words out of order (a column read across, a caption misplaced) fall
 * out of the LCS; missing words count against it too, so it never exceeds the recall.
 * Two rows of Uint32, O(n·m) time: fine for the few thousand words of a test document.
 */
export function orderAgreement(pred, gold) {
  if (gold.length === 0) return pred.length === 0 ? 1 : 0;
  const ids = new Map();
  const id = (w) => ids.get(w) ?? (ids.set(w, ids.size), ids.size - 1);
  const a = pred.map(id);
  const b = gold.map(id);
  let prev = new Uint32Array(b.length + 1);
  let cur = new Uint32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      cur[j] = a[i - 1] === b[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length] / gold.length;
}

/** Markdown headings (`# …` to `###### …`) as normalized word strings. */
export function markdownHeadings(md) {
  return [...md.matchAll(/^#{1,6}\s+(.+)$/gmu)].map((m) => words(m[1]).join(" ")).filter((h) => h !== "");
}

/**
 * Share of the gold headings found among the predicted ones. A heading counts as found when
 * a predicted heading has the same words (word F1 ≥ 0.8, so a dropped section number or a
 * trailing colon does not matter). Undefined when the gold has no headings.
 */
export function headingRecall(pred, gold) {
  if (gold.length === 0) return undefined;
  const unused = [...pred];
  let found = 0;
  for (const g of gold) {
    const i = unused.findIndex((p) => wordF1(p.split(" "), g.split(" ")).f1 >= 0.8);
    if (i >= 0) {
      found++;
      unused.splice(i, 1);
    }
  }
  return found / gold.length;
}

/**
 * Cells of the markdown pipe tables in a document, as normalized word strings, empty cells
 * and separator rows left out. Docling repeats a spanning cell's text in every grid position
 * it covers; Quire's markdown tables do the same, so the two multisets compare directly.
 */
export function markdownTableCells(md) {
  const cells = [];
  for (const line of md.split("\n")) {
    const t = line.trim();
    if (!t.startsWith("|") || /^\|[\s|:-]*\|$/u.test(t)) continue;
    for (const cell of t.slice(1, t.endsWith("|") ? -1 : undefined).split("|")) {
      const w = words(cell).join(" ");
      if (w !== "") cells.push(w);
    }
  }
  return cells;
}

/** Share of the gold cells (a multiset) matched by an equal predicted cell. Undefined without gold cells. */
export function cellRecall(pred, gold) {
  if (gold.length === 0) return undefined;
  const counts = new Map();
  for (const c of pred) counts.set(c, (counts.get(c) ?? 0) + 1);
  let found = 0;
  for (const g of gold) {
    const n = counts.get(g) ?? 0;
    if (n > 0) {
      found++;
      counts.set(g, n - 1);
    }
  }
  return found / gold.length;
}
