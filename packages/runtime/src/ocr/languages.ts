// OCR languages are checked when a job is submitted (gateway), so a typo ("english") or a
// language this deployment does not ship is a 422 at once, not a job that fails after upload and
// queueing, and again by parse against what its OCR pool loaded. The list is the one the parse
// service installs and verifies at start-up (@quire/contracts).
import { OCR_LANGUAGES, missingLanguages } from "@quire/contracts";
import { ErrorCode, QuireError } from "../errors.js";

/** Throws LANGUAGE_NOT_INSTALLED (422, not retried) naming the installed languages. */
export function assertLanguagesInstalled(requested: readonly string[], installed: readonly string[] = OCR_LANGUAGES): void {
  const missing = missingLanguages(requested, installed);
  if (missing.length === 0) return;
  throw new QuireError(
    ErrorCode.LanguageNotInstalled,
    `OCR language${missing.length > 1 ? "s" : ""} ${missing.join(", ")} not installed; installed: ${installed.join(", ")}`,
    { missing, installed: [...installed] },
  );
}
