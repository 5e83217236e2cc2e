import type { Session } from "@supabase/supabase-js";

export type AssuranceLevel = "aal1" | "aal2";

/** The assurance level in the session's access token (`aal2` after a second factor), read
 * without a network call so route guards can decide at once. Auth signed the token; the
 * database checks the same claim, so a forged value here only changes what the UI shows. */
export function sessionAal(session: Session | null | undefined): AssuranceLevel | null {
  const payload = session?.access_token.split(".")[1];
  if (!payload) return null;
  try {
    const base64 = payload.replace(/-/g, "+").replace(/_/g, "/");
    const claims = JSON.parse(atob(base64)) as { aal?: unknown };
    return claims.aal === "aal2" ? "aal2" : "aal1";
  } catch {
    // Not a JWT we can read: treat it as the lowest level; the database decides anyway.
    return "aal1";
  }
}
