import { displayPhone, formatAsTyped, fromAuthPhone, toE164 } from "./phone";

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

  it("shows US numbers in national format and others in international format", () => {
    expect(displayPhone("+13055550123")).toBe("(305) 555-0123");
    expect(displayPhone("+14165550123")).toBe("+1 416 555 0123");
    expect(displayPhone("+34612345678")).toBe("+34 612 34 56 78");
    expect(displayPhone("+525512345678")).toBe("+52 55 1234 5678");
  });

  it("shows what is not a valid phone number exactly as stored", () => {
    expect(displayPhone("ana@example.com")).toBe("ana@example.com");
    expect(displayPhone("+1305555012")).toBe("+1305555012");
    expect(displayPhone("3055550123")).toBe("3055550123");
    expect(displayPhone(null)).toBeNull();
    expect(displayPhone(undefined)).toBeUndefined();
  });
});
