import { ErrorCode, QuireError, fetchUrl, fileRef, storeFile, type Blobs, type StoredFile } from "@quire/runtime";
import type { GatewayConfig } from "./config.js";

/** A file_id from POST /v1/files → its stored object, or 404 (also for another tenant's id). */
export async function lookupFile(blobs: Blobs, tenant: string, fileId: string): Promise<StoredFile> {
  const sha = fileId.replace(/^file_/, "");
  const ref = fileRef(tenant, sha);
  const info = await blobs.files.info(ref);
  if (!info || info.deleted) throw new QuireError(ErrorCode.NotFound, `file ${fileId} not found (files expire after the retention period)`);
  return { fileId, ref, mediaType: info.description ?? "application/pdf", bytes: info.size, filename: null };
}

export async function fetchAndStore(blobs: Blobs, config: GatewayConfig, tenant: string, url: string): Promise<StoredFile> {
  const fetched = await fetchUrl(url, { ...config.fetch, maxBytes: config.maxFileBytes });
  return storeFile(blobs, tenant, fetched.bytes, fetched.filename);
}
