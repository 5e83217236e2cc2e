// @vitest-environment jsdom
import { afterEach, describe, expect, it } from "vitest";
import { setLocale } from "../lib/i18n";
import { addresses, mergeHref, toPair } from "./duplicatePairs";
import { td } from "./duplicatePairsMessages";

const row = {
  reason: "email",
  contact_id: "c-older",
  first_name: "María",
  last_name: "López",
  phone: "+13055550161",
  email: "maria.lopez@gmail.com",
  duplicate_id: "c-newer",
  duplicate_first_name: null,
  duplicate_last_name: null,
  duplicate_phone: null,
  duplicate_email: "marialopez+events@gmail.com",
};

describe("duplicate pairs", () => {
  afterEach(() => {
    setLocale("en");
  });
  it("keeps the older contact first and links to its merge", () => {
    const pair = toPair(row);
    expect(pair.reason).toBe("email");
    expect(pair.older.id).toBe("c-older");
    expect(pair.newer).toEqual({ id: "c-newer", first_name: null, last_name: null, phone: null, email: "marialopez+events@gmail.com" });
    expect(mergeHref(pair)).toBe("/crm/contacts/c-older#duplicates-title");
  });
  it("shows a side's phone and email on one line", () => {
    const pair = toPair(row);
    expect(addresses(pair.older)).toBe("+13055550161 · maria.lopez@gmail.com");
    expect(addresses(pair.newer)).toBe("marialopez+events@gmail.com");
  });
  it("reads an unknown sign as the weakest one and speaks both languages", () => {
    expect(toPair({ ...row, reason: "something new" }).reason).toBe("name");
    setLocale("es");
    expect(td("reason.phone")).toBe("Mismo teléfono");
    expect(td("compare", { older: "Ana", newer: "Ana L" })).toBe("Comparar y combinar a Ana y Ana L");
  });
});
