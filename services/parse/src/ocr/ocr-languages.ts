// Where OCR language data comes from: the `@tesseract.js-data/<code>` npm packages (never a
// CDN), or an operator's own tessdata folder. tesseract.js reads every language from ONE
// `langPath`, while each package keeps its file in its own folder, so the OCR pool links the
// files it needs into one private folder (linkTessdata).
import { existsSync, readdirSync } from "node:fs";
import { mkdir, symlink } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { OCR_LANGUAGES } from "@quire/contracts";

const require = createRequire(import.meta.url);

/**
 * The integer "best" LSTM models: what tesseract.js itself uses for LSTM-only recognition,
 * the same text as the 23 MB legacy+LSTM files, loaded faster in less memory (ANCHORS §2).
 */
const PACKAGE_MODEL_DIR = "4.0.0_best_int";
/** Orientation and script detection: a legacy-engine model, needed for sideways scans. */
export const OSD_LANGUAGE = "osd";

/** The data file of one packaged language, or null when its package is not installed. */
export function packagedLanguageFile(code: string): string | null {
  try {
    const dir = path.dirname(require.resolve(`@tesseract.js-data/${code}/package.json`));
    const file = path.join(dir, PACKAGE_MODEL_DIR, `${code}.traineddata.gz`);
    return existsSync(file) ? file : null;
  } catch {
    return null;
  }
}

/**
 * Installed languages → their data files. From the packages by default; from `tessdataDir`
 * (`<code>.traineddata[.gz]`, e.g. Debian's /usr/share/tesseract-ocr/5/tessdata) when set.
 * `osd` is listed separately (it is not a recognition language).
 */
export function findLanguageFiles(tessdataDir = ""): Map<string, string> {
  const files = new Map<string, string>();
  if (tessdataDir !== "") {
    for (const name of readdirSync(tessdataDir)) {
      const m = /^([a-z_]+)\.traineddata(\.gz)?$/.exec(name);
      if (m?.[1] && !files.has(m[1])) files.set(m[1], path.join(tessdataDir, name));
    }
  } else {
    for (const code of [...OCR_LANGUAGES, OSD_LANGUAGE]) {
      const file = packagedLanguageFile(code);
      if (file) files.set(code, file);
    }
  }
  // Without osd data in an operator's folder, fall back to the package (orientation still works).
  if (!files.has(OSD_LANGUAGE)) {
    const osd = packagedLanguageFile(OSD_LANGUAGE);
    if (osd) files.set(OSD_LANGUAGE, osd);
  }
  return files;
}

/** The recognition languages among the files (osd left out), sorted. */
export function recognitionLanguages(files: ReadonlyMap<string, string>): string[] {
  return [...files.keys()].filter((c) => c !== OSD_LANGUAGE).sort();
}

/**
 * Links every data file into `dir` as `<code>.traineddata.gz`, whatever it was called:
 * tesseract.js gunzips by the magic bytes, not the name, so plain files work too.
 */
export async function linkTessdata(files: ReadonlyMap<string, string>, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const [code, file] of files) await symlink(file, path.join(dir, `${code}.traineddata.gz`));
}
