import { describe, expect, it } from "vitest";
import { parseListMarker } from "./list-items.js";

describe("parseListMarker", () => {
  it.each([
    ["• first", "•", "first", false],
    ["•first", "•", "first", false],
    ["- dash item", "-", "dash item", false],
    ["* star item", "*", "star item", false],
    ["– en dash item", "–", "en dash item", false],
    ["1. one", "1.", "one", true],
    ["12) twelve", "12)", "twelve", true],
    ["a) letter", "a)", "letter", true],
    ["(iv) roman", "(iv)", "roman", true],
  ])("reads %j", (text, marker, body, ordered) => {
    expect(parseListMarker(text)).toEqual({ marker, body, ordered });
  });

  it.each(["-5 °C is cold", "*emphasis*", "2024. The year", "A. Smith wrote", "1.5 million", "(3. unbalanced", "plain text"])(
    "does not mistake %j for a list item",
    (text) => {
      expect(parseListMarker(text)).toBeUndefined();
    },
  );
});
