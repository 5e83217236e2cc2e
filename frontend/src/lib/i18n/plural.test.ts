import { pluralForm } from "./plural";

describe("pluralForm", () => {
  it("is one only for exactly one, in English and in Spanish", () => {
    for (const language of ["en", "es"] as const) {
      expect(pluralForm(language, 1)).toBe("one");
      expect(pluralForm(language, 0)).toBe("other");
      expect(pluralForm(language, 2)).toBe("other");
      expect(pluralForm(language, 1_000_000)).toBe("other");
    }
  });
});
