import { describe, expect, it } from "vitest";
import { isSupported, sniffMediaType } from "./file-type.js";

const bytes = (...b: number[]) => new Uint8Array(b);

describe("media type sniffing", () => {
  it("recognizes PDFs by their header, even after leading junk", () => {
    expect(sniffMediaType(new TextEncoder().encode("%PDF-1.7\n..."))).toBe("application/pdf");
    expect(sniffMediaType(new TextEncoder().encode("garbage\n%PDF-1.4"))).toBe("application/pdf");
  });

  it("recognizes images and refuses unknown bytes", () => {
    expect(sniffMediaType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d))).toBe("image/png");
    expect(sniffMediaType(bytes(0xff, 0xd8, 0xff, 0xe0))).toBe("image/jpeg");
    expect(sniffMediaType(new TextEncoder().encode("hello"))).toBeNull();
    expect(isSupported("image/png")).toBe(true);
    expect(isSupported("image/gif")).toBe(false);
    expect(isSupported("application/pdf")).toBe(true);
  });
});
