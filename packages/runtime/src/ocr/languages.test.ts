import { isQuireError } from "../errors.js";
import { describe, expect, it } from "vitest";
import { assertLanguagesInstalled } from "./languages.js";

describe("OCR languages at submit", () => {
  it("accepts the shipped languages", () => {
    expect(() => assertLanguagesInstalled(["eng", "deu", "fra", "spa", "ita", "nld", "por"])).not.toThrow();
  });

  it("refuses others with LANGUAGE_NOT_INSTALLED (422) listing what is installed", () => {
    try {
      assertLanguagesInstalled(["eng", "klingon", "chi_sim", "klingon"]);
      expect.unreachable();
    } catch (err) {
      if (!isQuireError(err)) throw err;
      expect(err.code).toBe("LANGUAGE_NOT_INSTALLED");
      expect(err.message).toMatch(/klingon, chi_sim not installed; installed: eng, deu/);
      expect(err.details).toMatchObject({ missing: ["klingon", "chi_sim"], installed: expect.arrayContaining(["eng", "por"]) });
    }
  });
});
