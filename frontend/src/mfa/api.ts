import type { Factor } from "@supabase/supabase-js";
import { throwIfError } from "../lib/errors";
import { supabase } from "../lib/supabase";

export interface TwoFactorState {
  currentLevel: string | null;
  /** The user's verified TOTP factor, if they have one (we offer one per person). */
  factor: Factor | null;
}

export interface Enrolment {
  factorId: string;
  /** `data:image/svg+xml` URI of the QR code, as supabase-js hands it over. */
  qrCode: string;
  /** The same key in text, for people who cannot scan. */
  secret: string;
}

export const mfaKeys = { state: (userId: string) => ["mfa", userId] as const };

export async function fetchTwoFactorState(): Promise<TwoFactorState> {
  const mfa = supabase().auth.mfa;
  const level = await mfa.getAuthenticatorAssuranceLevel();
  throwIfError(level.error);
  const factors = await mfa.listFactors();
  throwIfError(factors.error);
  return { currentLevel: level.data?.currentLevel ?? null, factor: factors.data?.totp[0] ?? null };
}

/** A new TOTP factor to scan. An abandoned earlier attempt is removed first: Auth refuses a
 * second factor with the same name while the first is still unverified. */
export async function startEnrolment(friendlyName: string): Promise<Enrolment> {
  const mfa = supabase().auth.mfa;
  const factors = await mfa.listFactors();
  throwIfError(factors.error);
  for (const stale of factors.data?.all.filter((factor) => factor.status === "unverified") ?? []) {
    throwIfError((await mfa.unenroll({ factorId: stale.id })).error);
  }
  const enrolled = await mfa.enroll({ factorType: "totp", friendlyName });
  throwIfError(enrolled.error);
  const data = enrolled.data;
  if (data?.type !== "totp") throw new Error("Auth did not enrol a TOTP factor");
  return { factorId: data.id, qrCode: data.totp.qr_code, secret: data.totp.secret };
}

/** Check a code from the authenticator; on success the session is aal2 (Auth rotates it). */
export async function verifyCode(factorId: string, code: string): Promise<void> {
  const { data, error } = await supabase().auth.mfa.challengeAndVerify({ factorId, code });
  throwIfError(error);
  // supabase-js hands Realtime a new token on SIGNED_IN and TOKEN_REFRESHED but not on
  // MFA_CHALLENGE_VERIFIED: without this, Realtime would keep checking RLS with the aal1 token
  // and admin tables' changes would never arrive.
  if (data) await supabase().realtime.setAuth(data.access_token);
}

export async function turnOff(factorId: string): Promise<void> {
  throwIfError((await supabase().auth.mfa.unenroll({ factorId })).error);
  // The access token still says aal2 until it is renewed; renew it now so guards follow.
  throwIfError((await supabase().auth.refreshSession()).error);
}
