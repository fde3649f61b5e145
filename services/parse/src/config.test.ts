import { availableParallelism } from "node:os";
import { ConfigError } from "@quire/runtime";
import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";

describe("parse config", () => {
  it("applies defaults", () => {
    const c = loadConfig({});
    expect(c.concurrency).toBe(availableParallelism());
    expect(c.limits).toEqual({
      timeoutMs: 120_000,
      maxHeapMb: 1024,
      maxRssMb: 1536,
      maxPages: 5000,
      fontStyles: true,
      childMaxDocuments: 50,
      childRecycleRssMb: 400,
    });
    expect(c.ackWaitMs).toBe(30_000);
    expect(c.ocr).toEqual({
      workers: availableParallelism(),
      recyclePages: 200,
      maxRssMb: 1024,
      pageTimeoutMs: 120_000,
      dpi: 300,
      maxPixels: 36_000_000,
      orientation: true,
      tessdataDir: "",
    });
  });

  it("reads the OCR settings", () => {
    const c = loadConfig({
      QUIRE_OCR_WORKERS: "3",
      QUIRE_OCR_RECYCLE_PAGES: "50",
      QUIRE_OCR_MAX_RSS_MB: "800",
      QUIRE_OCR_PAGE_TIMEOUT_MS: "9000",
      QUIRE_OCR_DPI: "200",
      QUIRE_OCR_MAX_PIXELS: "1000000",
      QUIRE_OCR_ORIENTATION: "false",
      QUIRE_OCR_TESSDATA_DIR: "/data/tessdata",
    });
    expect(c.ocr).toEqual({
      workers: 3,
      recyclePages: 50,
      maxRssMb: 800,
      pageTimeoutMs: 9000,
      dpi: 200,
      maxPixels: 1_000_000,
      orientation: false,
      tessdataDir: "/data/tessdata",
    });
  });

  it("reads every setting", () => {
    const c = loadConfig({
      QUIRE_PARSE_CONCURRENCY: "3",
      QUIRE_PARSE_TIMEOUT_MS: "5000",
      QUIRE_PARSE_MAX_HEAP_MB: "256",
      QUIRE_PARSE_MAX_RSS_MB: "512",
      QUIRE_PARSE_MAX_PAGES: "10",
      QUIRE_PARSE_FONT_STYLES: "false",
      QUIRE_PARSE_CHILD_MAX_DOCS: "1",
      QUIRE_PARSE_CHILD_RECYCLE_RSS_MB: "300",
    });
    expect(c.concurrency).toBe(3);
    expect(c.limits).toEqual({
      timeoutMs: 5000,
      maxHeapMb: 256,
      maxRssMb: 512,
      maxPages: 10,
      fontStyles: false,
      childMaxDocuments: 1,
      childRecycleRssMb: 300,
    });
  });

  it("lists every bad value, naming each variable", () => {
    try {
      loadConfig({ QUIRE_PARSE_CONCURRENCY: "0", QUIRE_PARSE_MAX_RSS_MB: "lots" });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const text = (err as ConfigError).problems.join("\n");
      expect(text).toMatch(/QUIRE_PARSE_CONCURRENCY must be > 0/);
      expect(text).toMatch(/QUIRE_PARSE_MAX_RSS_MB must be a number/);
    }
  });
});
