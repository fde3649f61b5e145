import { ErrorCode, QuireError } from "./errors.js";
import { sha256Hex, type Blobs } from "./nats/object-store.js";

/** Media types the pipeline accepts, detected from the bytes, never from the name. Images are read by OCR. */
export const SUPPORTED_TYPES = ["application/pdf", "image/png", "image/jpeg", "image/tiff", "image/webp"] as const;

const SIGNATURES: Array<{ type: string; test: (b: Uint8Array) => boolean }> = [
  // %PDF- may follow up to 1 KiB of junk, which readers tolerate.
  { type: "application/pdf", test: (b) => Buffer.from(b.subarray(0, 1024)).includes("%PDF-") },
  { type: "image/png", test: (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47]) },
  { type: "image/jpeg", test: (b) => startsWith(b, [0xff, 0xd8, 0xff]) },
  { type: "image/tiff", test: (b) => startsWith(b, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2a]) },
  { type: "image/webp", test: (b) => startsWith(b, [0x52, 0x49, 0x46, 0x46]) && Buffer.from(b.subarray(8, 12)).toString() === "WEBP" },
];

function startsWith(b: Uint8Array, sig: number[]): boolean {
  return sig.every((v, i) => b[i] === v);
}

/** The detected media type, or null when the bytes match nothing known. */
export function sniffMediaType(bytes: Uint8Array): string | null {
  return SIGNATURES.find((s) => s.test(bytes))?.type ?? null;
}

export const isSupported = (type: string | null): type is (typeof SUPPORTED_TYPES)[number] =>
  type !== null && (SUPPORTED_TYPES as readonly string[]).includes(type);

/** What to tell a client whose upload is none of the supported types. */
export function unsupportedMessage(detected: string | null): string {
  const what = detected ? `${detected} is not supported` : "the file type was not recognized";
  return `${what}; send a PDF, PNG, JPEG, TIFF or WebP`;
}

/**
 * Checks the bytes are a supported type and stores them content-addressed under the tenant,
 * so two tenants uploading the same file never share an object (or learn of each other's).
 * Used for uploads (gateway) and for URLs a job fetches (parse).
 */
export async function storeFile(
  blobs: Pick<Blobs, "files" | "has">,
  tenant: string,
  data: Uint8Array,
  filename: string | null,
): Promise<StoredFile> {
  if (data.byteLength === 0) throw new QuireError(ErrorCode.InvalidArgument, "the file is empty");
  const mediaType = sniffMediaType(data);
  if (!isSupported(mediaType)) throw new QuireError(ErrorCode.UnsupportedFileType, unsupportedMessage(mediaType), { detected: mediaType });
  const sha = sha256Hex(data);
  const ref = fileRef(tenant, sha);
  if (!(await blobs.has(blobs.files, ref))) await blobs.files.putBlob({ name: ref, description: mediaType }, data);
  return { fileId: `file_${sha}`, ref, mediaType, bytes: data.byteLength, filename };
}

export interface StoredFile {
  fileId: string;
  /** Object name in the files bucket: "<tenant>/<sha256>". */
  ref: string;
  mediaType: string;
  bytes: number;
  filename: string | null;
}

export const fileRef = (tenant: string, sha: string): string => `${tenant}/${sha}`;
