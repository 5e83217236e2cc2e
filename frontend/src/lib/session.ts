import type { Session } from "@supabase/supabase-js";
import { createRoot, createSignal } from "solid-js";
import { supabase } from "./supabase";

const state = createRoot(() => {
  const [session, setSession] = createSignal<Session | null>(null);
  const [known, setKnown] = createSignal(false);
  return { session, setSession, known, setKnown };
});

/** The signed-in person's session (staff by email, attendee by phone), or null. */
export const session = state.session;
/** False until the stored session has been read, so guards don't redirect too early. */
export const sessionKnown = state.known;

/** Follow Auth's session. The callback stays synchronous: awaiting a supabase call inside
 * onAuthStateChange deadlocks auth-js; follow-up work reacts to the `session` signal instead. */
export function trackSession(): void {
  supabase().auth.onAuthStateChange((_event, next) => {
    state.setSession(next);
    state.setKnown(true);
  });
}

export async function signOut(): Promise<void> {
  const { error } = await supabase().auth.signOut({ scope: "local" });
  if (error) throw error;
}
