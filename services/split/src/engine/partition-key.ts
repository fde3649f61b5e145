import { stem, words } from "./text.js";

/** Words that say "the identifier of": a key like "invoice number" is matched by "Invoice No.", "Invoice #", "Invoice Nr". */
const ID_WORDS = new Set(["number", "numbers", "no", "nr", "num", "nbr", "id", "numero", "número", "nummer", "#"]);
const ID_LABEL = String.raw`(?:numbers?|no\.?|nr\.?|num\.?|nbr\.?|n°|nº|id|numéro|numero|número|nummer|#)(?!\p{L})`;
/** A value: a run of letters, digits and joiners that holds a digit (identifiers do; the next label word does not). */
const VALUE = String.raw`([\p{L}\p{N}][\p{L}\p{N}\-/._]*)`;

export interface KeyValue {
  value: string;
  /** The label as printed, for reasons. */
  label: string;
}

/**
 * The value of a partition key on a page: the key's words found as a label in the page text
 * ("Invoice number: INV-1042", "Invoice No. 42", "Invoice #: 7", or the label on one line and
 * the value on the next), then the token after it. Falls back to the key's main word directly
 * followed by an identifier ("Invoice INV/2023/0008"). Undefined when no label carries a value.
 */
export function findKeyValue(lines: readonly string[], key: string): KeyValue | undefined {
  const keyWords = words(key);
  if (keyWords.length === 0) return undefined;
  const norm = lines.map((l) => l.normalize("NFKC"));
  const full = keyWords.map((w) => (ID_WORDS.has(w) ? ID_LABEL : wordPattern(w))).join(String.raw`[\s\-_]*`);
  const hit = firstValue(norm.join("\n"), full, String.raw`\s*`);
  if (hit) return hit;
  const head = keyWords.filter((w) => !ID_WORDS.has(w));
  if (head.length === 0 || head.length === keyWords.length) return undefined;
  const headPattern = head.map(wordPattern).join(String.raw`\s*`);
  // "INVOICE" as a heading, and "# 7" or "No. 42" on one of the next two lines (a column may come between).
  const alone = new RegExp(String.raw`^\W*${headPattern}\W*$`, "iu");
  for (let i = 0; i < norm.length; i++) {
    if (!alone.test(norm[i]!)) continue;
    for (const next of norm.slice(i + 1, i + 3)) {
      const v = firstValue(next, String.raw`^\s*${ID_LABEL}`, "[ \\t]*");
      if (v) return { value: v.value, label: `${norm[i]!.trim()} ${v.label}` };
    }
  }
  // "Invoice INV/2023/0008": the main word directly followed, on the same line, by an identifier.
  return firstValue(norm.join("\n"), headPattern + String.raw`(?:[ \t]*${ID_LABEL})?`, "[ \\t]*");
}

/** The first `label` followed (across `gap`, which may or may not span lines) by a value holding a digit. */
function firstValue(text: string, label: string, gap: string): KeyValue | undefined {
  const re = new RegExp(String.raw`(?<![\p{L}\p{N}])(${label})${gap}[:.\-–—#=]*${gap}${VALUE}(?![@\p{L}\p{N}])`, "gimu");
  for (const m of text.matchAll(re)) {
    const value = (m[2] ?? "").replace(/[.\-/_]+$/u, "");
    if (/\p{N}/u.test(value) && value.length <= 40) return { value, label: (m[1] ?? "").trim() };
  }
  return undefined;
}

/** A key word as a label pattern: its stem and any ending, so "invoice" also reads "Invoices", "INVOICE". */
function wordPattern(w: string): string {
  const s = stem(w);
  return escape(s) + String.raw`\p{L}*`;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/gu, "\\$&");
}
