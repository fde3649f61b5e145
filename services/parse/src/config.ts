import { availableParallelism } from "node:os";
import { z } from "zod";
import { baseConfig, baseEnvShape, boolEnv, parseConfig, positiveInt } from "@quire/runtime";
import type { ParseLimits } from "./pdf-parser.js";

export const ParseEnv = z
  .object({
    ...baseEnvShape,
    /** Jobs parsed at once by this process, each in its own child. @default number of cores */
    QUIRE_PARSE_CONCURRENCY: positiveInt("QUIRE_PARSE_CONCURRENCY").default(availableParallelism()),
    /** Wall-clock limit for one document; above it the job fails with DOCUMENT_TOO_COMPLEX. @default 120 s */
    QUIRE_PARSE_TIMEOUT_MS: positiveInt("QUIRE_PARSE_TIMEOUT_MS").default(120_000),
    /** V8 heap cap of the PDF child process (--max-old-space-size). */
    QUIRE_PARSE_MAX_HEAP_MB: positiveInt("QUIRE_PARSE_MAX_HEAP_MB").default(1_024),
    /** Resident-memory cap of the PDF child; also counts decoded buffers the heap cap misses. */
    QUIRE_PARSE_MAX_RSS_MB: positiveInt("QUIRE_PARSE_MAX_RSS_MB").default(1_536),
    /** Most pages one job may select; more fails fast with DOCUMENT_TOO_COMPLEX. */
    QUIRE_PARSE_MAX_PAGES: positiveInt("QUIRE_PARSE_MAX_PAGES").default(5_000),
    /** Read real font names for bold/italic (up to ~1.8× the parse time); false = monospace only. */
    QUIRE_PARSE_FONT_STYLES: boolEnv.default(true),
  })
  .transform((e) => ({
    ...baseConfig(e),
    concurrency: e.QUIRE_PARSE_CONCURRENCY,
    limits: {
      timeoutMs: e.QUIRE_PARSE_TIMEOUT_MS,
      maxHeapMb: e.QUIRE_PARSE_MAX_HEAP_MB,
      maxRssMb: e.QUIRE_PARSE_MAX_RSS_MB,
      maxPages: e.QUIRE_PARSE_MAX_PAGES,
      fontStyles: e.QUIRE_PARSE_FONT_STYLES,
    } satisfies ParseLimits,
  }));
export type ParseConfig = z.output<typeof ParseEnv>;

export const loadConfig = (env: Record<string, string | undefined> = process.env): ParseConfig => parseConfig(ParseEnv, env);
