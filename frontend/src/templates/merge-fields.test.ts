import { checkTemplateFields, insertAt, mergeFieldToken } from "./merge-fields";

describe("checkTemplateFields", () => {
  it("lists fields once, with defaults and custom keys", () => {
    expect(checkTemplateFields("Hi {{ first_name | friend }}, {{custom.team}} {{first_name}}")).toEqual({
      fields: ["first_name", "custom.team"],
      unknown: [],
      malformed: false,
    });
  });

  it("names fields the database refuses", () => {
    expect(checkTemplateFields("Hi {{nickname}} {{custom.}}").unknown).toEqual(["nickname"]);
    expect(checkTemplateFields("Hi {{custom.}}").malformed).toBe(true);
  });

  it("finds stray braces", () => {
    expect(checkTemplateFields("Hi {{first_name").malformed).toBe(true);
    expect(checkTemplateFields("Hi first_name}}").malformed).toBe(true);
    expect(checkTemplateFields("Hi {first_name}").malformed).toBe(false);
  });
});

describe("inserting a field", () => {
  it("writes the default after a bar and drops braces from it", () => {
    expect(mergeFieldToken("first_name", " amigo ")).toBe("{{first_name | amigo}}");
    expect(mergeFieldToken("custom.team", "{x}")).toBe("{{custom.team | x}}");
    expect(mergeFieldToken("email", "")).toBe("{{email}}");
  });

  it("replaces the selection and puts the caret after the token", () => {
    expect(insertAt("Hola X!", "{{first_name}}", 5, 6)).toEqual({ text: "Hola {{first_name}}!", caret: 19 });
  });
});
