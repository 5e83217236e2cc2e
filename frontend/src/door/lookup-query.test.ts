import { describe, expect, it } from "vitest";
import { lookupQuery } from "./lookup-query";

describe("lookupQuery", () => {
  it("searches names from two characters on", () => {
    expect(lookupQuery("B")).toBeNull();
    expect(lookupQuery(" Bo ")).toBe("Bo");
  });
  it("waits for a complete phone number, then sends it in E.164", () => {
    expect(lookupQuery("(305) 555-01")).toBeNull();
    expect(lookupQuery("(305) 555-0123")).toBe("+13055550123");
  });
});
