/**
 * OCR languages a Quire deployment ships (tesseract codes). The parse service installs each
 * one's data as an npm package (`@tesseract.js-data/<code>`, never fetched at run time) and
 * checks at start-up that every one is there; the gateway refuses any other code with a 422
 * LANGUAGE_NOT_INSTALLED before a job is created. One list, so the two cannot disagree.
 */
export const OCR_LANGUAGES = ["eng", "deu", "fra", "spa", "ita", "nld", "por"] as const;
export type OcrLanguage = (typeof OCR_LANGUAGES)[number];

/** Languages not in `installed`, in the order given (duplicates once). */
export function missingLanguages(requested: readonly string[], installed: readonly string[] = OCR_LANGUAGES): string[] {
  return [...new Set(requested.filter((l) => !installed.includes(l)))];
}
