import { describe, expect, it } from "vitest";
import { changeFor, currentChoice, parsePreferences } from "./preferences";

const subscribed = parsePreferences({
  first_name: "Ana",
  email_hint: "a***@example.com",
  phone_hint: "***1234",
  email: null,
  sms: "opted_in",
  expires_at: "2027-01-01T00:00:00Z",
});

describe("preference page", () => {
  it("reads the SQL function's answer and ignores what it does not know", () => {
    expect(subscribed).toEqual({ firstName: "Ana", emailHint: "a***@example.com", phoneHint: "***1234", email: null, sms: "opted_in" });
    expect(parsePreferences({ email: "maybe", first_name: "" })).toEqual({
      firstName: null,
      emailHint: null,
      phoneHint: null,
      email: null,
      sms: null,
    });
  });

  it("starts from what the person receives now (no email choice recorded = receiving)", () => {
    expect(currentChoice(subscribed)).toEqual({ emails: true, stopTexts: false });
    expect(currentChoice({ ...subscribed, email: "opted_out", sms: "opted_out" })).toEqual({ emails: false, stopTexts: true });
  });

  it("sends only the channels that change", () => {
    expect(changeFor(subscribed, { emails: true, stopTexts: false })).toBeNull();
    expect(changeFor(subscribed, { emails: false, stopTexts: false })).toEqual({ email: "opted_out" });
    expect(changeFor(subscribed, { emails: false, stopTexts: true })).toEqual({ email: "opted_out", sms: "opted_out" });
  });

  it("re-subscribes email but never texts (those come back with START)", () => {
    const unsubscribed = { ...subscribed, email: "opted_out" as const, sms: "opted_out" as const };
    expect(changeFor(unsubscribed, { emails: true, stopTexts: false })).toEqual({ email: "opted_in" });
  });
});
