import { describe, expect, it } from "vitest";
import { defaultChoices, displayValue, survivingValues, takenFromDuplicate } from "./merge";

const kept = { first_name: "María", last_name: "López", phone: "+13055550150", email: null, company: "Acme", title: null, pronouns: null };
const duplicate = { first_name: "Maria", last_name: null, phone: null, email: "maria@example.com", company: "Acme Inc", title: "CTO", pronouns: null };

describe("merge choices", () => {
  it("keeps the kept contact's values unless only the duplicate has one", () => {
    const choices = defaultChoices(kept, duplicate);
    expect(takenFromDuplicate(choices)).toEqual(["email", "title"]);
  });
  it("shows what survives for the fields the organizer switched", () => {
    const choices = { ...defaultChoices(kept, duplicate), company: "duplicate" as const };
    expect(takenFromDuplicate(choices)).toEqual(["email", "company", "title"]);
    expect(survivingValues(kept, duplicate, choices)).toEqual({
      first_name: "María",
      last_name: "López",
      phone: "+13055550150",
      email: "maria@example.com",
      company: "Acme Inc",
      title: "CTO",
      pronouns: null,
    });
  });
  it("shows a phone as people write it, other fields as stored", () => {
    expect(displayValue("phone", "+13055550150")).toBe("(305) 555-0150");
    expect(displayValue("phone", "+34612345678")).toBe("+34 612 34 56 78");
    expect(displayValue("phone", null)).toBeNull();
    expect(displayValue("company", "+13055550150")).toBe("+13055550150");
  });
});
