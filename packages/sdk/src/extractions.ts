import type { HttpClient } from "./http.js";
import type { RequestOptions } from "./jobs.js";
import type { Extraction } from "./types.js";

/** `quire.extractions`: stored extractions, by the `extraction_id` of an extract or split result. */
export class ExtractionsResource {
  readonly #http: HttpClient;

  constructor(http: HttpClient) {
    this.#http = http;
  }

  /**
   * An extraction as its job stored it (an extract job, or the extract step of a split). Kept
   * for the server's retention period (`QUIRE_RETENTION_HOURS`); past it with `persist: true`.
   * @throws QuireApiError `NOT_FOUND` (404) for an unknown or expired id, or another tenant's extraction.
   */
  async get(extractionId: string, options: RequestOptions = {}): Promise<Extraction> {
    const path = `/v1/extractions/${encodeURIComponent(extractionId)}`;
    const res = await this.#http.request<Extraction>({ method: "GET", path, signal: options.signal });
    return res.body;
  }
}
