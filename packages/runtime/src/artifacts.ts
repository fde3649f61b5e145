import type { Extraction, StageJob } from "@quire/contracts";
import { ErrorCode, QuireError } from "./errors.js";

/**
 * Names of the artifacts a job leaves in the object store. Extract writes extractions; the
 * gateway, split and schema read them by id, always under the caller's tenant, so an id from
 * another tenant resolves to nothing.
 */

const EXTRACTION_ID = /^ext_[0-9a-f]{32}$/;

/** The id of what job `jobId` made, under `prefix` (job_<hex> → ext_<hex>, spl_<hex>, sch_<hex>). */
export const resultIdOf = (prefix: "ext" | "spl" | "sch", jobId: string): string => `${prefix}_${jobId.replace(/^job_/, "")}`;

/** The extraction id of the extract stage of job `jobId` (job_<hex> → ext_<hex>). */
export const extractionIdOf = (jobId: string): string => resultIdOf("ext", jobId);

export const isExtractionId = (id: string): boolean => EXTRACTION_ID.test(id);

/** Object name of an extraction, in the results bucket (or the persisted one with `persist: true`). */
export const extractionRef = (tenant: string, extractionId: string): string => `${tenant}/extractions/${extractionId}.json`;

/** Object name of a stage's result for a job, e.g. `split.json`. */
export const jobResultRef = (tenant: string, jobId: string, name: string): string => `${tenant}/${jobId}/${name}`;

/**
 * The extraction a split or schema step reads: the one this job's extract stored, or the one
 * the request named by extraction_id (then the step is the plan's first).
 */
export async function readJobExtraction(
  job: Pick<StageJob, "extractionRef" | "step">,
  get: (name: string) => Promise<Uint8Array | null>,
): Promise<Extraction> {
  if (!job.extractionRef) throw new QuireError(ErrorCode.Internal, "this job carries no extraction_ref", {}, { retryable: false });
  const bytes = await get(job.extractionRef);
  if (!bytes) {
    // Our own extract stage stored it before enqueuing us: a miss is lag, retry. An extraction
    // named by the request has expired since the gateway checked it.
    if (job.step > 0) throw new QuireError(ErrorCode.Unavailable, "extraction not found (yet)", { extractionRef: job.extractionRef });
    throw new QuireError(
      ErrorCode.NotFound,
      "the extraction has expired (extractions are kept for the retention period unless made with persist: true)",
      {},
      { retryable: false },
    );
  }
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as Extraction;
  } catch (err) {
    throw new QuireError(ErrorCode.Internal, "the extraction could not be decoded", {}, { cause: err, retryable: false });
  }
}
