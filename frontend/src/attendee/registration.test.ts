import * as v from "valibot";
import { emptyRegistration, registrationSchema, toRegistration } from "./registration";

describe("first-timer registration", () => {
  it("starts with both opt-ins unticked and the page's language", () => {
    const empty = emptyRegistration("es");
    expect(empty.sms_opt_in).toBe(false);
    expect(empty.email_opt_in).toBe(false);
    expect(empty.preferred_language).toBe("es");
  });

  it("requires a first name and a valid email only when one is given", () => {
    const messages = (input: ReturnType<typeof emptyRegistration>) => {
      const result = v.safeParse(registrationSchema, input);
      return result.success ? [] : result.issues.map((issue) => issue.message);
    };
    expect(messages(emptyRegistration("en"))).toEqual(["register.firstNameRequired"]);
    expect(messages({ ...emptyRegistration("en"), first_name: "Ana", email: "nope" })).toEqual(["register.emailInvalid"]);
    expect(messages({ ...emptyRegistration("en"), first_name: "Ana", email_opt_in: true })).toEqual([
      "register.emailNeededForOptIn",
    ]);
  });

  it("sends check_in only the fields the person filled in, never the opt-ins", () => {
    const form = v.parse(registrationSchema, {
      ...emptyRegistration("en"),
      first_name: " Ana ",
      company: "Hello Labs",
      sms_opt_in: true,
    });
    expect(toRegistration(form)).toEqual({ first_name: "Ana", company: "Hello Labs", preferred_language: "en" });
  });
});
