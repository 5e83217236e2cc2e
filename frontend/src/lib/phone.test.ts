import { formatAsTyped, fromAuthPhone, toE164 } from "./phone";

describe("phone numbers", () => {
  it("formats a US number as it is typed", () => {
    expect(formatAsTyped("305")).toBe("305");
    expect(formatAsTyped("3055550")).toBe("(305) 555-0");
    expect(formatAsTyped("3055550123")).toBe("(305) 555-0123");
    expect(formatAsTyped("+34612345678")).toBe("+34 612 34 56 78");
    expect(formatAsTyped("")).toBe("");
  });

  it("gives E.164 only for valid numbers", () => {
    expect(toE164("(305) 555-0123")).toBe("+13055550123");
    expect(toE164("+34 612 34 56 78")).toBe("+34612345678");
    expect(toE164("305")).toBeNull();
    expect(toE164("hello")).toBeNull();
  });

  it("puts the + back on Auth's user.phone", () => {
    expect(fromAuthPhone("13055550123")).toBe("+13055550123");
    expect(fromAuthPhone("+13055550123")).toBe("+13055550123");
    expect(fromAuthPhone(undefined)).toBeNull();
  });
});
