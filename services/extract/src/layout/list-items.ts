/** Recognizes the marker that starts a list item: a bullet glyph or an enumerator. */

export interface ListMarker {
  /** The marker as written: "•", "-", "3.", "b)", "(iv)". */
  marker: string;
  /** The item's text after the marker. */
  body: string;
  /** Enumerated ("1.", "a)") rather than bulleted. */
  ordered: boolean;
}

// Glyph bullets are unambiguous, so the text may follow without a space (pdf.js often emits
// "•" as its own item with only a gap after it, which lines.ts turns into a space anyway).
const GLYPH_BULLET = /^([•◦▪▫●○■□‣⁃∙·➢➤►▶✓✔])\s*(?=\S)/u;
// ASCII-ish bullets need a following space: "-5 °C", "*emphasis*" and "–" in ranges are not lists.
const DASH_BULLET = /^([-*–])\s+(?=\S)/u;
// "1." "12)" "(3)" "a." "b)" "(c)" "iv." "(ii)". Up to 3 digits, so "2024. The year" is not a list;
// lower-case letters only, so initials ("A. Smith") are not either.
const ENUMERATOR = /^(\(?(?:\d{1,3}|[a-z]|[ivx]{1,5})[.)]|\((?:\d{1,3}|[a-z]|[ivx]{1,5})\))\s+(?=\S)/u;

export function parseListMarker(text: string): ListMarker | undefined {
  const t = text.trimStart();
  const bullet = GLYPH_BULLET.exec(t) ?? DASH_BULLET.exec(t);
  if (bullet?.[1]) return { marker: bullet[1], body: t.slice(bullet[0].length), ordered: false };
  const enumerator = ENUMERATOR.exec(t);
  if (enumerator?.[1] && balanced(enumerator[1])) return { marker: enumerator[1], body: t.slice(enumerator[0].length), ordered: true };
  return undefined;
}

// "(3." is not a marker; "(3)" and "3)" are.
function balanced(marker: string): boolean {
  return !marker.startsWith("(") || marker.endsWith(")");
}
