/**
 * Generated PDFs through the parse service's real pdf.js parser (its dist/: `pnpm build` first;
 * `pnpm test` does) and then extract's buildExtraction, as the two stages run them.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Extraction, ParsedDocument } from "@quire/contracts";
import { buildExtraction } from "../src/extraction.js";

const PARSER = new URL("../../parse/dist/pdf/pdf-parser.js", import.meta.url);

/** Whether the parser is built; suites that need it are skipped without it. */
export const parserBuilt = existsSync(fileURLToPath(PARSER));

export async function extractPdf(bytes: Uint8Array): Promise<Extraction> {
  const { parsePdf } = (await import(PARSER.href)) as { parsePdf: (bytes: Uint8Array) => Promise<ParsedDocument> };
  return buildExtraction(await parsePdf(bytes), { extractionId: "e", cachedParse: false });
}
