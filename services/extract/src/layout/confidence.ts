import type { Line } from "../lines/lines.js";

/**
 * A block's OCR confidence, 0..1: its OCR items' confidences weighted by their characters.
 * Undefined when none of its text came from OCR (text-layer items carry confidence 0).
 */
export function ocrConfidence(lines: readonly Line[]): number | undefined {
  let sum = 0;
  let weight = 0;
  for (const line of lines) {
    for (const item of line.items) {
      if (!(item.confidence > 0)) continue;
      const n = Math.max(1, item.text.replace(/\s/gu, "").length);
      sum += item.confidence * n;
      weight += n;
    }
  }
  return weight > 0 ? Math.round((sum / weight) * 1000) / 1000 : undefined;
}
