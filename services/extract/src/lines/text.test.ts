import { describe, expect, it } from "vitest";
import { isCjk, joinLines, lastChar, normalizeSpaces, spaceBetween } from "./text.js";

describe("joinLines", () => {
  it("rejoins a word hyphenated across the line break", () => {
    expect(joinLines("the infor-", "mation age")).toBe("the information age");
    expect(joinLines("soft\u00adhy\u00ad", "Phen")).toBe("soft\u00adhyPhen");
  });

  it("keeps a real hyphen when the next line does not go on in lower case", () => {
    expect(joinLines("during COVID-", "19 times")).toBe("during COVID-19 times");
    expect(joinLines("the Anglo-", "Saxon")).toBe("the Anglo-Saxon");
  });

  it("joins other lines with one space, and CJK lines with none", () => {
    expect(joinLines("end of line ", " start")).toBe("end of line start");
    expect(joinLines("日本語の", "文章です")).toBe("日本語の文章です");
    expect(joinLines("", "first")).toBe("first");
  });

  it("does not treat a dash after a space as a broken word", () => {
    expect(joinLines("a range 5 -", "10")).toBe("a range 5 - 10");
  });
});

describe("spaceBetween", () => {
  it("asks for a space between words, not next to existing whitespace or between Chinese or Japanese characters", () => {
    expect(spaceBetween("word", "next")).toBe(true);
    expect(spaceBetween("word ", "next")).toBe(false);
    expect(spaceBetween("日本", "語")).toBe(false);
    expect(spaceBetween("東京", "かな")).toBe(false);
    expect(spaceBetween("中文", "ABC")).toBe(true);
  });

  it("spaces Korean words like Latin ones: Hangul is written with spaces", () => {
    expect(spaceBetween("돌입한", "와중에")).toBe(true);
    expect(spaceBetween("한국", "中文")).toBe(true);
    expect(joinLines("새로운 계획을", "세웠다")).toBe("새로운 계획을 세웠다");
  });
});

describe("characters", () => {
  it("recognizes CJK scripts and reads astral characters whole", () => {
    expect(["漢", "か", "カ", "한", "。"].every(isCjk)).toBe(true);
    expect(isCjk("a")).toBe(false);
    expect(lastChar("x𠀋")).toBe("𠀋");
    expect(isCjk(lastChar("x𠀋"))).toBe(true);
  });

  it("collapses whitespace runs and drops zero-width spaces", () => {
    expect(normalizeSpaces("  a \t b\u00a0\u00a0c\u200bd ")).toBe("a b cd");
  });
});
