// A hand-built PDF protected by the Standard Security Handler with RC4 (revision 2 = 40-bit,
// revision 3 = 128-bit), because pdf-lib cannot encrypt. Follows ISO 32000-1 §7.6.3:
// Algorithm 2 (file key), 3 (/O), 4 (/U, R2) and 5 (/U, R3), and §7.6.2 Algorithm 1 (per-object
// keys). Only the content stream needs encrypting: the page has no other strings.
import { createHash } from "node:crypto";

const PAD = Buffer.from("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A", "hex");

/** RC4 in a few lines: OpenSSL 3 only offers it through the legacy provider. */
export function rc4(key: Uint8Array, data: Uint8Array): Buffer {
  const s = Array.from({ length: 256 }, (_, i) => i);
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i]! + key[i % key.length]!) & 0xff;
    [s[i], s[j]] = [s[j]!, s[i]!];
  }
  const out = Buffer.alloc(data.length);
  for (let n = 0, i = 0, j = 0; n < data.length; n++) {
    i = (i + 1) & 0xff;
    j = (j + s[i]!) & 0xff;
    [s[i], s[j]] = [s[j]!, s[i]!];
    out[n] = data[n]! ^ s[(s[i]! + s[j]!) & 0xff]!;
  }
  return out;
}

const md5 = (...parts: Uint8Array[]): Buffer => createHash("md5").update(Buffer.concat(parts)).digest();
const padded = (pw: string): Buffer => {
  const b = Buffer.from(pw, "latin1").subarray(0, 32);
  return Buffer.concat([b, PAD.subarray(0, 32 - b.length)]);
};
/** R3 re-encrypts 19 more times with the key XORed with the round number. */
const rc4Rounds = (key: Buffer, data: Buffer, r: 2 | 3): Buffer => {
  let out = rc4(key, data);
  if (r === 3)
    for (let i = 1; i <= 19; i++)
      out = rc4(
        key.map((b) => b ^ i),
        out,
      );
  return out;
};

function ownerEntry(owner: string, user: string, r: 2 | 3, n: number): Buffer {
  let hash = md5(padded(owner || user));
  if (r === 3) for (let i = 0; i < 50; i++) hash = md5(hash);
  return rc4Rounds(hash.subarray(0, n), padded(user), r);
}

function fileKey(user: string, o: Buffer, p: number, id0: Buffer, r: 2 | 3, n: number): Buffer {
  const pBytes = Buffer.alloc(4);
  pBytes.writeInt32LE(p);
  let hash = md5(padded(user), o, pBytes, id0);
  if (r === 3) for (let i = 0; i < 50; i++) hash = md5(hash.subarray(0, n));
  return hash.subarray(0, n);
}

function userEntry(key: Buffer, id0: Buffer, r: 2 | 3): Buffer {
  if (r === 2) return rc4(key, PAD);
  return Buffer.concat([rc4Rounds(key, md5(PAD, id0), r), Buffer.alloc(16)]);
}

function objectKey(key: Buffer, num: number, gen: number): Buffer {
  const suffix = Buffer.from([num & 0xff, (num >> 8) & 0xff, (num >> 16) & 0xff, gen & 0xff, (gen >> 8) & 0xff]);
  return md5(key, suffix).subarray(0, Math.min(key.length + 5, 16));
}

export interface EncryptedPdfOptions {
  userPassword: string;
  ownerPassword?: string;
  revision?: 2 | 3;
  text?: string;
}

export function makeEncryptedPdf(opts: EncryptedPdfOptions): Uint8Array {
  const r = opts.revision ?? 3;
  const n = r === 2 ? 5 : 16;
  const p = -4; // every permission
  const id0 = md5(Buffer.from(`quire-test-${opts.text ?? ""}`));
  const o = ownerEntry(opts.ownerPassword ?? "owner-secret", opts.userPassword, r, n);
  const key = fileKey(opts.userPassword, o, p, id0, r, n);
  const u = userEntry(key, id0, r);
  const text = (opts.text ?? "Secret text").replace(/([()\\])/g, "\\$1");
  const content = Buffer.from(`BT /F1 24 Tf 72 700 Td (${text}) Tj ET`, "latin1");
  const encrypted = rc4(objectKey(key, 4, 0), content);

  const objects: Buffer[] = [
    Buffer.from("<< /Type /Catalog /Pages 2 0 R >>"),
    Buffer.from("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
    Buffer.from("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>"),
    Buffer.concat([Buffer.from(`<< /Length ${encrypted.length} >>\nstream\n`), encrypted, Buffer.from("\nendstream")]),
    Buffer.from("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"),
    Buffer.from(
      `<< /Filter /Standard /V ${r === 2 ? 1 : 2} /R ${r} /Length ${n * 8} /O <${o.toString("hex")}> /U <${u.toString("hex")}> /P ${p} >>`,
    ),
  ];
  return assemble(objects, `/Root 1 0 R /Encrypt 6 0 R /ID [<${id0.toString("hex")}> <${id0.toString("hex")}>]`);
}

/** Objects 1..n, a classic xref table with exact offsets, and the trailer. */
function assemble(objects: Buffer[], trailerExtra: string): Uint8Array {
  const parts: Buffer[] = [Buffer.from("%PDF-1.4\n%\xE2\xE3\xCF\xD3\n", "latin1")];
  const offsets: number[] = [];
  let length = parts[0]!.length;
  objects.forEach((body, i) => {
    offsets.push(length);
    const obj = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), body, Buffer.from("\nendobj\n")]);
    parts.push(obj);
    length += obj.length;
  });
  const xref = [
    `xref\n0 ${objects.length + 1}\n`,
    "0000000000 65535 f \n",
    ...offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`),
  ].join("");
  parts.push(Buffer.from(`${xref}trailer\n<< /Size ${objects.length + 1} ${trailerExtra} >>\nstartxref\n${length}\n%%EOF\n`));
  return new Uint8Array(Buffer.concat(parts));
}
