// @vitest-environment jsdom
import { afterEach, describe, expect, it } from "vitest";
import { setLocale } from "../lib/i18n";
import { importReasonText } from "./importReasons";

describe("import row reasons", () => {
  afterEach(() => {
    setLocale("en");
  });
  it("names the row an in-file duplicate was merged into, in both languages", () => {
    const reason = "same_person_in_file: Same person as row 12 of this file; merged into one contact.";
    setLocale("en");
    expect(importReasonText(reason)).toBe("Same person as row 12: merged into one contact.");
    setLocale("es");
    expect(importReasonText(reason)).toBe("Es la misma persona que la fila 12: se unieron en un solo contacto.");
  });
  it("names the row a conflicting duplicate shares an address with", () => {
    const reason = "conflict_in_file: Shares a phone or email with row 3 of this file, but the other one differs (correct one of the two rows).";
    expect(importReasonText(reason)).toBe("Shares a phone or email with row 3, but the other one differs. Correct one of the two rows.");
  });
  it("reads other refusal codes as their sentence and leaves plain reasons alone", () => {
    expect(importReasonText("invalid_phone: Not a phone number: 123")).toBe("That doesn't look like a phone number. Please check it.");
    expect(importReasonText("No changes.")).toBe("No changes.");
    expect(importReasonText(null)).toBe("");
  });
});
