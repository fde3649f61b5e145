import type { Extraction, Job, JobStatus } from "../types.js";

export const JOB_ID = `job_${"a".repeat(32)}`;
export const FILE_ID = `file_${"b".repeat(64)}`;

export function extraction(overrides: Partial<Extraction> = {}): Extraction {
  return {
    extraction_id: "ext_1",
    markdown: "# Invoice\n\nTotal: 42\n",
    page_count: 1,
    pages: [{
      page_number: 1, width: 612, height: 792, ocr: false,
      blocks: [{ id: "b1", type: "title", text: "Invoice", bbox: [0.1, 0.1, 0.5, 0.15], level: 1 }],
    }],
    chunks: [{ text: "Invoice Total: 42", pages: [1], block_ids: ["b1"] }],
    usage: { pages: 1, cached_parse: false },
    ...overrides,
  };
}

/** A job as `GET /v1/jobs/{id}` shows it. */
export function job(status: JobStatus, pct = 0, message = "", overrides: Partial<Job> = {}): Job {
  const ended = status === "completed" || status === "failed" || status === "canceled";
  return {
    job_id: JOB_ID, kind: "extract", status,
    created_at: "2025-01-01T00:00:00.000Z", updated_at: "2025-01-01T00:00:01.000Z",
    completed_at: ended ? "2025-01-01T00:00:02.000Z" : null,
    progress: { pct, message, stage: status === "processing" ? "parse" : "" },
    metadata: {},
    ...(status === "completed" ? { result: extraction() } : {}),
    ...overrides,
  };
}
