import type { Session } from "@supabase/supabase-js";
import { describe, expect, it } from "vitest";
import { sessionAal } from "./aal";

function sessionWith(claims: object): Session {
  const encode = (value: object) => btoa(JSON.stringify(value)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  return { access_token: `${encode({ alg: "HS256" })}.${encode(claims)}.signature` } as Session;
}

describe("sessionAal", () => {
  it("reads aal2 after a second factor", () => {
    expect(sessionAal(sessionWith({ aal: "aal2", amr: [{ method: "totp" }] }))).toBe("aal2");
  });
  it("treats a password-only session as aal1", () => {
    expect(sessionAal(sessionWith({ aal: "aal1" }))).toBe("aal1");
    expect(sessionAal(sessionWith({}))).toBe("aal1");
  });
  it("reads base64url payloads with characters plain base64 spells differently", () => {
    expect(sessionAal(sessionWith({ aal: "aal2", email: "??>>@example.com" }))).toBe("aal2");
  });
  it("has no level without a session and the lowest for an unreadable token", () => {
    expect(sessionAal(null)).toBeNull();
    expect(sessionAal({ access_token: "not-a-jwt" } as Session)).toBeNull();
    expect(sessionAal({ access_token: "a.%%%.c" } as Session)).toBe("aal1");
  });
});
