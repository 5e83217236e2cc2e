import { describe, expect, it } from "vitest";
import { assignableLevels, canManage, parseInvitationLink } from "./staffRules";

describe("assignableLevels", () => {
  it("lets owners give every level and admins all but owner", () => {
    expect(assignableLevels("owner")).toEqual(["volunteer", "organizer", "admin", "owner"]);
    expect(assignableLevels("admin")).toEqual(["volunteer", "organizer", "admin"]);
  });
  it("gives organizers, volunteers and strangers nothing", () => {
    expect(assignableLevels("organizer")).toEqual([]);
    expect(assignableLevels("volunteer")).toEqual([]);
    expect(assignableLevels(null)).toEqual([]);
  });
});

describe("canManage", () => {
  it("follows today's rules: admins never manage owners", () => {
    expect(canManage("owner", "owner")).toBe(true);
    expect(canManage("admin", "admin")).toBe(true);
    expect(canManage("admin", "owner")).toBe(false);
    expect(canManage("organizer", "volunteer")).toBe(false);
  });
});

describe("parseInvitationLink", () => {
  it("reads the email and code from the fragment", () => {
    expect(parseInvitationLink("#email=nora%40example.com&code=abc-123")).toEqual({
      email: "nora@example.com",
      code: "abc-123",
    });
  });
  it("refuses a link without both", () => {
    expect(parseInvitationLink("#email=nora%40example.com")).toBeNull();
    expect(parseInvitationLink("")).toBeNull();
  });
});
