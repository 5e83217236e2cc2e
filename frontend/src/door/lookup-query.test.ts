import { describe, expect, it } from "vitest";
import { toE164 } from "../lib/phone";
import { lookupQuery } from "./lookup-query";

describe("lookupQuery", () => {
  it("searches names from two characters on", () => {
    expect(lookupQuery("B", toE164)).toBeNull();
    expect(lookupQuery(" Bo ", toE164)).toBe("Bo");
  });
  it("waits for a complete phone number, then sends it in E.164", () => {
    expect(lookupQuery("(305) 555-01", toE164)).toBeNull();
    expect(lookupQuery("(305) 555-0123", toE164)).toBe("+13055550123");
  });
  it("searches names before the phone library has loaded, and waits with numbers", () => {
    expect(lookupQuery("Bo", undefined)).toBe("Bo");
    expect(lookupQuery("(305) 555-0123", undefined)).toBeNull();
  });
});
