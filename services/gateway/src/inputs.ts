import { ErrorCode, QuireError, fetchUrl, sha256Hex, type Blobs } from "@quire/runtime";
import type { GatewayConfig } from "./config.js";
import { isSupported, sniffMediaType, unsupportedMessage } from "./file-type.js";

export interface StoredFile {
  fileId: string;
  /** Object name in the files bucket: "<tenant>/<sha256>". */
  ref: string;
  mediaType: string;
  bytes: number;
  filename: string | null;
}

export const fileRef = (tenant: string, sha: string): string => `${tenant}/${sha}`;

/**
 * Checks the bytes are a supported type and stores them content-addressed under the tenant,
 * so two tenants uploading the same file never share an object (or learn of each other's).
 */
export async function storeFile(blobs: Blobs, tenant: string, data: Uint8Array, filename: string | null): Promise<StoredFile> {
  if (data.byteLength === 0) throw new QuireError(ErrorCode.InvalidArgument, "the file is empty");
  const mediaType = sniffMediaType(data);
  if (!isSupported(mediaType))
    throw new QuireError(ErrorCode.UnsupportedFileType, unsupportedMessage(mediaType), { detected: mediaType });
  const sha = sha256Hex(data);
  const ref = fileRef(tenant, sha);
  if (!(await blobs.has(blobs.files, ref))) await blobs.files.putBlob({ name: ref, description: mediaType }, data);
  return { fileId: `file_${sha}`, ref, mediaType, bytes: data.byteLength, filename };
}

/** A file_id from POST /v1/files → its stored object, or 404 (also for another tenant's id). */
export async function lookupFile(blobs: Blobs, tenant: string, fileId: string): Promise<StoredFile> {
  const sha = fileId.replace(/^file_/, "");
  const ref = fileRef(tenant, sha);
  const info = await blobs.files.info(ref);
  if (!info || info.deleted)
    throw new QuireError(ErrorCode.NotFound, `file ${fileId} not found (files expire after the retention period)`);
  return { fileId, ref, mediaType: info.description ?? "application/pdf", bytes: info.size, filename: null };
}

export async function fetchAndStore(blobs: Blobs, config: GatewayConfig, tenant: string, url: string): Promise<StoredFile> {
  const fetched = await fetchUrl(url, { ...config.fetch, maxBytes: config.maxFileBytes });
  return storeFile(blobs, tenant, fetched.bytes, fetched.filename);
}
