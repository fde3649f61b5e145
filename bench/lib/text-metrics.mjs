// Character accuracy for OCR benchmarks: 1 − CER, with CER = Levenshtein(hyp, ref) / |ref|.
// Text is NFC-normalized with whitespace runs collapsed to one space, the same for every engine.

export const normalize = (s) => s.normalize("NFC").replace(/\s+/gu, " ").trim();

/**
 * Order-insensitive form: words sorted. For references in zone order (the UNLV pages list the
 * title after the body columns), so reading order is not scored, only what was read.
 */
export const sortedWords = (s) => normalize(s).split(" ").filter(Boolean).sort().join(" ");

/** Edit distance over code points, two rows, O(|a|·|b|) time. */
export function levenshtein(a, b) {
  const x = [...a];
  const y = [...b];
  let prev = new Uint32Array(y.length + 1).map((_, j) => j);
  let cur = new Uint32Array(y.length + 1);
  for (let i = 1; i <= x.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= y.length; j++) {
      const sub = prev[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1);
      cur[j] = Math.min(sub, prev[j] + 1, cur[j - 1] + 1);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[y.length];
}

/** { errors, chars } of `hyp` against `ref`; ordered or word-order-insensitive. */
export function charErrors(hyp, ref, { ordered = true } = {}) {
  const [h, r] = ordered ? [normalize(hyp), normalize(ref)] : [sortedWords(hyp), sortedWords(ref)];
  return { errors: levenshtein(h, r), chars: [...r].length };
}

/** 1 − CER as a percentage, floored at 0 (a hypothesis can be longer than the reference). */
export const accuracy = ({ errors, chars }) => Math.max(0, 100 * (1 - errors / Math.max(chars, 1)));
