import type { HttpClient } from "./http.js";
import { fileForm } from "./input.js";
import type { UploadedFile } from "./types.js";

export interface UploadOptions {
  /** Sent as `Idempotency-Key`; a random UUID when omitted. */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

/** `quire.files`: upload a document once, then refer to it by `file_id`. */
export class FilesResource {
  readonly #http: HttpClient;

  constructor(http: HttpClient) {
    this.#http = http;
  }

  /**
   * Uploads a document. Uploads are content-addressed: the same bytes give the same `file_id`.
   * @param filename Defaults to the `File`'s name, else `"document"`; the type is sniffed from the bytes.
   * @throws QuireApiError `FILE_TOO_LARGE` (413), `UNSUPPORTED_FILE_TYPE` (415).
   */
  async upload(data: Uint8Array | Blob, filename?: string, options: UploadOptions = {}): Promise<UploadedFile> {
    const res = await this.#http.request<UploadedFile>({
      method: "POST",
      path: "/v1/files",
      body: { form: fileForm(data, filename) },
      idempotencyKey: options.idempotencyKey,
      signal: options.signal,
    });
    return res.body;
  }
}
