import { describe, expect, it } from "vitest";
import type { Contact } from "./api";
import { daysInMonth, formFromContact, toUpdate, type DetailsForm } from "./details";

const blank: DetailsForm = {
  first_name: "",
  last_name: "",
  email: "",
  phone: "",
  company: "",
  title: "",
  pronouns: "",
  birthday_month: "",
  birthday_day: "",
  birthday_year: "",
  preferred_language: "",
  custom_fields: [],
};

describe("contact details", () => {
  it("store a typed phone in E.164 and empty inputs as null", () => {
    const result = toUpdate({ ...blank, first_name: " Ada ", phone: "(305) 555-0123" });
    expect(result).toMatchObject({ update: { first_name: "Ada", phone: "+13055550123", email: null, company: null } });
  });

  it("show the stored phone as people write it and save it back unchanged in E.164", () => {
    for (const [stored, shown] of [["+13055550123", "(305) 555-0123"], ["+34612345678", "+34 612 34 56 78"]] as const) {
      const form = formFromContact({ phone: stored, custom_fields: {} } as unknown as Contact);
      expect(form.phone).toBe(shown);
      expect(toUpdate(form)).toMatchObject({ update: { phone: stored } });
    }
  });

  it("refuse a phone, an email and a birthday that cannot be", () => {
    expect(toUpdate({ ...blank, phone: "123", email: "ada@", birthday_month: "4", birthday_day: "31" })).toEqual({
      errors: { phone: "phone", email: "email", birthday: "birthday" },
    });
  });

  it("accept a birthday with an unknown year, Feb 29 included, but not Feb 29 of a common year", () => {
    expect(toUpdate({ ...blank, birthday_month: "2", birthday_day: "29" })).toMatchObject({
      update: { birthday_month: 2, birthday_day: 29, birthday_year: null },
    });
    expect(toUpdate({ ...blank, birthday_month: "2", birthday_day: "29", birthday_year: "2023" })).toEqual({
      errors: { birthday: "birthday" },
    });
    expect(toUpdate({ ...blank, birthday_year: "1990" })).toEqual({ errors: { birthday: "birthdayIncomplete" } });
    expect(toUpdate({ ...blank, birthday_month: "1", birthday_day: "2", birthday_year: "3000" }, 2026)).toEqual({
      errors: { birthday: "birthdayYear" },
    });
    expect(daysInMonth(2, 2000)).toBe(29);
    expect(daysInMonth(2, 1900)).toBe(28);
  });

  it("keep custom fields with valid names and drop empty rows", () => {
    expect(
      toUpdate({ ...blank, custom_fields: [{ name: "shirt", value: "L" }, { name: "", value: "" }] }),
    ).toMatchObject({ update: { custom_fields: { shirt: "L" } } });
    expect(toUpdate({ ...blank, custom_fields: [{ name: "shirt size", value: "L" }] })).toEqual({
      errors: { custom_fields: "fieldName" },
    });
  });
});
