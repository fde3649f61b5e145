import { z } from "zod";

/** Options shared by every processing call (JSON body, or multipart fields). */
export const ExtractRequest = z
  .object({
    file_url: z.url({ protocol: /^https?$/, message: "file_url must be an http(s) URL" }).optional()
      .describe("Fetch the document from this URL (SSRF-guarded, size and time limited)."),
    file_id: z.string().regex(/^file_[0-9a-f]{64}$/, "file_id must look like file_<64 hex chars>, as POST /v1/files returns").optional()
      .describe("A file uploaded earlier with POST /v1/files."),
    pages: z.string().regex(/^\s*\d+(\s*-\s*\d+)?(\s*,\s*\d+(\s*-\s*\d+)?)*\s*$/, 'pages must look like "1-3,7"').optional()
      .describe('Page selection, 1-based, e.g. "1-3,7". All pages when omitted.'),
    password: z.string().max(1024).optional().describe("Password of an encrypted PDF."),
    metadata: z.record(z.string(), z.unknown()).optional()
      .describe("Any JSON object; echoed in the job and its webhooks (max 16 KiB)."),
    async: z.boolean().default(false).describe("true: answer 202 with a job id at once."),
    ocr: z.enum(["auto", "always", "never"]).default("auto"),
    languages: z.array(z.string().regex(/^[a-z_]{3,16}$/)).max(8).default(["eng"]),
  })
  .strict()
  .refine((r) => r.metadata === undefined || JSON.stringify(r.metadata).length <= 16_384, {
    message: "metadata must be at most 16 KiB of JSON", path: ["metadata"],
  });
export type ExtractRequest = z.output<typeof ExtractRequest>;

export const BBox = z.tuple([z.number(), z.number(), z.number(), z.number()])
  .describe("[x0, y0, x1, y1] normalized to 0..1 from the page's top-left");

export const Block = z.object({
  id: z.string(),
  type: z.enum(["title", "heading", "paragraph", "list_item", "table", "figure", "caption", "code", "formula", "header", "footer", "page_number"]),
  text: z.string(),
  bbox: BBox,
  level: z.number().int().optional(),
  confidence: z.number().optional(),
});

export const Extraction = z.object({
  extraction_id: z.string(),
  markdown: z.string(),
  page_count: z.number().int(),
  pages: z.array(z.object({
    page_number: z.number().int(), width: z.number(), height: z.number(), ocr: z.boolean(),
    ocr_reason: z.string().optional(), blocks: z.array(Block),
  })),
  chunks: z.array(z.object({ text: z.string(), pages: z.array(z.number().int()), block_ids: z.array(z.string()) })),
  usage: z.object({ pages: z.number().int(), cached_parse: z.boolean() }),
});

export const JobStatusName = z.enum(["pending", "processing", "completed", "failed", "canceled"]);

export const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()) }),
});

export const JobView = z.object({
  job_id: z.string(),
  kind: z.enum(["extract", "split", "schema"]),
  status: JobStatusName,
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
  completed_at: z.iso.datetime().nullable(),
  progress: z.object({ pct: z.number(), message: z.string(), stage: z.string() }),
  metadata: z.record(z.string(), z.unknown()),
  result: Extraction.optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});

export const JobAccepted = z.object({ job_id: z.string(), status: JobStatusName });

export const JobList = z.object({ jobs: z.array(JobView.omit({ result: true })), next_cursor: z.string().nullable() });

export const FileUploaded = z.object({
  file_id: z.string(), bytes: z.number().int(), media_type: z.string(), filename: z.string().nullable(),
});

export const ListQuery = z.object({
  status: JobStatusName.optional(),
  kind: z.enum(["extract", "split", "schema"]).optional(),
  limit: z.coerce.number().int().min(1, "limit must be 1..100").max(100, "limit must be 1..100").default(20),
  cursor: z.string().max(512).optional(),
});
