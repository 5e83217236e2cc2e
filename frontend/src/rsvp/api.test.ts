import { describe, expect, it } from "vitest";
import type { Disclosure } from "../attendee/api";
import { rsvpArguments, type RsvpForm } from "./api";

const shown: Record<"sms" | "email", Disclosure> = {
  sms: { id: "d-sms", channel: "sms", locale: "en", body: "Yes, text me…" },
  email: { id: "d-email", channel: "email", locale: "en", body: "Yes, email me…" },
};
const form = (overrides: Partial<RsvpForm>): RsvpForm => ({
  first_name: "Cleo",
  last_name: "",
  phone: " (305) 555-8801 ",
  email: "",
  preferred_language: "es",
  sms_opt_in: false,
  email_opt_in: false,
  ...overrides,
});

describe("rsvpArguments", () => {
  it("leaves blank fields out and lets the server parse the phone", () => {
    expect(rsvpArguments("e1", form({}), shown)).toEqual({
      p_event_id: "e1",
      p_first_name: "Cleo",
      p_last_name: undefined,
      p_phone: "(305) 555-8801",
      p_email: undefined,
      p_preferred_language: "es",
      p_sms_disclosure_id: undefined,
      p_email_disclosure_id: undefined,
    });
  });

  it("sends an opt-in only with the disclosure shown and an address for its channel", () => {
    const args = rsvpArguments("e1", form({ sms_opt_in: true, email_opt_in: true }), shown);
    expect(args.p_sms_disclosure_id).toBe("d-sms");
    expect(args.p_email_disclosure_id).toBeUndefined();
  });
});
