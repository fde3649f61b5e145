/**
 * Names of the artifacts a job leaves in the object store. Extract writes extractions; the
 * gateway, split and schema read them by id, always under the caller's tenant, so an id from
 * another tenant resolves to nothing.
 */

const EXTRACTION_ID = /^ext_[0-9a-f]{32}$/;

/** The extraction id of the extract stage of job `jobId` (job_<hex> → ext_<hex>). */
export const extractionIdOf = (jobId: string): string => `ext_${jobId.replace(/^job_/, "")}`;

export const isExtractionId = (id: string): boolean => EXTRACTION_ID.test(id);

/** Object name of an extraction, in the results bucket (or the persisted one with `persist: true`). */
export const extractionRef = (tenant: string, extractionId: string): string => `${tenant}/extractions/${extractionId}.json`;

/** Object name of a stage's result for a job, e.g. `split.json`. */
export const jobResultRef = (tenant: string, jobId: string, name: string): string => `${tenant}/${jobId}/${name}`;
