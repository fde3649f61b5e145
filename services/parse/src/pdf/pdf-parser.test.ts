// Real parses through the child process; run `npx tsc -b` first (the child is dist/pdf/pdf-child.js).
import { describe, expect, it } from "vitest";
import { isQuireError, type QuireError } from "@quire/runtime";
import { parsePdf } from "./pdf-parser.js";
import { makeEncryptedPdf } from "../test-helpers/encrypted-pdf.js";
import { LETTER, makeFlateBombPdf, makeNumberedPdf, makeRotatedPdf, makeTwoPagePdf } from "../test-helpers/pdfs.js";

async function failure(p: Promise<unknown>): Promise<QuireError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isQuireError(err)) throw new Error(`expected a QuireError, got ${String(err)}`);
  return err;
}

const texts = (doc: Awaited<ReturnType<typeof parsePdf>>) => doc.pages.map((p) => p.items.map((i) => i.text).join(" "));

describe("parsePdf", () => {
  it("returns each page's text with top-left coordinates in points", async () => {
    const doc = await parsePdf(await makeTwoPagePdf());
    expect(doc.pageCount).toBe(2);
    expect(doc.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(texts(doc)).toEqual(["Quarterly Report Bottom of page one", "Second page text"]);
    const [one] = doc.pages;
    expect(one).toMatchObject({ pageNumber: 1, width: LETTER.width, height: LETTER.height });
    const title = one!.items[0]!;
    const bottom = one!.items[1]!;
    // The title's baseline is 72 pt below the top edge, so its box starts a little above that.
    expect(title.y).toBeGreaterThan(40);
    expect(title.y).toBeLessThan(72);
    expect(title.y + title.height).toBeGreaterThan(72);
    expect(title.x).toBeCloseTo(72, 0);
    expect(title.width).toBeGreaterThan(150);
    expect(title.fontSize).toBeCloseTo(24, 1);
    expect(title).toMatchObject({ fontName: "Helvetica-Bold", bold: true, italic: false, dir: "ltr" });
    expect(bottom.y).toBeGreaterThan(LETTER.height - 90);
    expect(bottom.y).toBeLessThan(LETTER.height - 72);
    expect(bottom.bold).toBe(false);
  });

  it("honours /Rotate: page size is as displayed", async () => {
    const doc = await parsePdf(await makeRotatedPdf());
    const page = doc.pages[0]!;
    expect(page).toMatchObject({ width: LETTER.height, height: LETTER.width });
    expect(texts(doc)).toEqual(["rotated   words"]); // Courier: the space is a run of its own
    const item = page.items[0]!;
    expect(item).toMatchObject({ text: "rotated", monospace: true });
    expect(item.height).toBeGreaterThan(item.width); // the run goes down the displayed page
    expect(item.x + item.width).toBeLessThanOrEqual(page.width);
    expect(item.y + item.height).toBeLessThanOrEqual(page.height);
  });

  it("parses only the selected pages and reports each as it arrives", async () => {
    const seen: string[] = [];
    const doc = await parsePdf(await makeNumberedPdf(8), {
      pages: "2-3,7",
      onPage: (page, index, total) => void seen.push(`${page.pageNumber}@${index}/${total}`),
    });
    expect(doc.pageCount).toBe(8);
    expect(doc.pages.map((p) => p.pageNumber)).toEqual([2, 3, 7]);
    expect(texts(doc)).toEqual(["Page 2", "Page 3", "Page 7"]);
    expect(seen).toEqual(["2@0/3", "3@1/3", "7@2/3"]);
  });

  it("refuses a page past the end and a malformed selection with INVALID_ARGUMENT", async () => {
    const pdf = await makeNumberedPdf(3);
    const past = await failure(parsePdf(pdf, { pages: "2-5" }));
    expect(past.code).toBe("INVALID_ARGUMENT");
    expect(past.message).toMatch(/page 5 is out of range; the document has 3 pages/);
    const bad = await failure(parsePdf(pdf, { pages: "two" }));
    expect(bad.code).toBe("INVALID_ARGUMENT");
  });

  it("enforces the page limit before parsing", async () => {
    const err = await failure(parsePdf(await makeNumberedPdf(4), { maxPages: 3 }));
    expect(err.code).toBe("DOCUMENT_TOO_COMPLEX");
    expect(err.message).toMatch(/QUIRE_PARSE_MAX_PAGES/);
  });

  it("fails garbage and truncated files with INVALID_PDF", async () => {
    const garbage = await failure(parsePdf(new TextEncoder().encode("this is not a pdf at all")));
    expect(garbage).toMatchObject({ code: "INVALID_PDF", retryable: false });
    const whole = await makeTwoPagePdf();
    const truncated = await failure(parsePdf(whole.subarray(0, 300)));
    expect(truncated.code).toBe("INVALID_PDF");
    expect(truncated.message).toMatch(/could not be read/);
  });

  it("kills the child on a decompression bomb with DOCUMENT_TOO_COMPLEX, and parses the next file as usual", async () => {
    const bomb = await makeFlateBombPdf(400);
    expect(bomb.byteLength).toBeLessThan(2 * 1024 * 1024); // a small upload…
    const err = await failure(parsePdf(bomb, { timeoutMs: 20_000, maxRssMb: 400, maxHeapMb: 256 }));
    expect(err).toMatchObject({ code: "DOCUMENT_TOO_COMPLEX", retryable: false }); // …that would inflate without bound
    expect(texts(await parsePdf(await makeTwoPagePdf()))[0]).toBe("Quarterly Report Bottom of page one");
  }, 60_000);

  it("works without the font-name pass, guessing monospace only", async () => {
    const doc = await parsePdf(await makeTwoPagePdf(), { fontStyles: false });
    expect(texts(doc)[0]).toBe("Quarterly Report Bottom of page one");
    expect(doc.pages[0]!.items[0]!.bold).toBe(false);
  });
});

describe("parsePdf with a reused child (reuseKey)", () => {
  /** Parses and reports how many documents the process that read it has run. */
  async function parsed(bytes: Uint8Array, opts: Parameters<typeof parsePdf>[1] = {}) {
    let documents = 0;
    const doc = await parsePdf(bytes, { ...opts, onFinish: (s) => (documents = s.documents) });
    return { doc, documents };
  }

  it("reads later documents of the same key in the same sandboxed process, with the same result", async () => {
    const [two, numbered] = [await makeTwoPagePdf(), await makeNumberedPdf(3)];
    const fresh = await parsed(numbered);
    expect(fresh.documents).toBe(1);
    const first = await parsed(two, { reuseKey: "tenant-a" });
    const second = await parsed(numbered, { reuseKey: "tenant-a" });
    expect(second.documents).toBe(first.documents + 1);
    expect(texts(second.doc)).toEqual(texts(fresh.doc));
    expect(second.doc.pages).toEqual(fresh.doc.pages);
    // Another tenant never shares that process.
    expect((await parsed(two, { reuseKey: "tenant-b" })).documents).toBe(1);
  });

  it("never reuses a child after a failure, and replaces one that has run childMaxDocuments", async () => {
    const two = await makeTwoPagePdf();
    const key = "tenant-c";
    expect((await parsed(two, { reuseKey: key })).documents).toBe(1);
    const broken = await failure(parsePdf(two.subarray(0, 300), { reuseKey: key }));
    expect(broken.code).toBe("INVALID_PDF");
    expect((await parsed(two, { reuseKey: key, childMaxDocuments: 2 })).documents).toBe(1); // the failed one is gone
    expect((await parsed(two, { reuseKey: key, childMaxDocuments: 2 })).documents).toBe(2);
    expect((await parsed(two, { reuseKey: key, childMaxDocuments: 2 })).documents).toBe(1); // retired after 2
  });

  it("still kills a reused child on a decompression bomb, and the next document gets a fresh one", async () => {
    const opts = { reuseKey: "tenant-d", timeoutMs: 20_000, maxRssMb: 400, maxHeapMb: 256 };
    expect((await parsed(await makeTwoPagePdf(), opts)).documents).toBe(1); // this child then reads the bomb
    const err = await failure(parsePdf(await makeFlateBombPdf(400), opts));
    expect(err).toMatchObject({ code: "DOCUMENT_TOO_COMPLEX", retryable: false });
    const after = await parsed(await makeTwoPagePdf(), opts);
    expect(after.documents).toBe(1);
    expect(texts(after.doc)[0]).toBe("Quarterly Report Bottom of page one");
  }, 60_000);
});

describe("parsePdf on encrypted PDFs (RC4 standard security handler)", () => {
  it.each([2, 3] as const)("revision %i: asks for the password, rejects a wrong one, reads with the right one", async (revision) => {
    const pdf = makeEncryptedPdf({ userPassword: "s3cret", revision, text: "Confidential (draft)" });
    const none = await failure(parsePdf(pdf));
    expect(none).toMatchObject({ code: "PDF_PASSWORD_REQUIRED", retryable: false });
    expect(none.message).toMatch(/`password`/);
    const wrong = await failure(parsePdf(pdf, { password: "guess" }));
    expect(wrong.code).toBe("PDF_PASSWORD_REQUIRED");
    expect(wrong.message).toMatch(/incorrect/);
    const doc = await parsePdf(pdf, { password: "s3cret" });
    expect(texts(doc)).toEqual(["Confidential (draft)"]);
    expect(doc.pages[0]!.items[0]!.y).toBeLessThan(100); // baseline at 700 of 792
  });
});
