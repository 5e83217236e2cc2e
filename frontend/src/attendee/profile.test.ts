import * as v from "valibot";
import { profileSchema, toProfileChanges } from "./profile";

const valid = {
  first_name: "Ana",
  last_name: "",
  pronouns: "",
  company: "",
  title: "",
  bio: "",
  linkedin_url: "",
  github_url: "",
};

function firstMessage(input: typeof valid): string | undefined {
  const result = v.safeParse(profileSchema, input);
  return result.success ? undefined : result.issues[0].message;
}

describe("profile form schema", () => {
  it("accepts links the database accepts and empty ones", () => {
    expect(firstMessage(valid)).toBeUndefined();
    expect(firstMessage({ ...valid, linkedin_url: "https://linkedin.com/in/ana-b", github_url: "https://github.com/ana-b" })).toBeUndefined();
  });

  it("names the broken link with a translatable message", () => {
    expect(firstMessage({ ...valid, linkedin_url: "linkedin.com/ana" })).toBe("me.linkedinInvalid");
    expect(firstMessage({ ...valid, github_url: "https://github.com/-ana" })).toBe("me.githubInvalid");
    expect(firstMessage({ ...valid, first_name: "  " })).toBe("register.firstNameRequired");
  });

  it("stores empty inputs as null", () => {
    expect(toProfileChanges(v.parse(profileSchema, { ...valid, bio: "Hi" }))).toEqual({
      first_name: "Ana",
      last_name: null,
      pronouns: null,
      company: null,
      title: null,
      bio: "Hi",
      linkedin_url: null,
      github_url: null,
    });
  });
});
