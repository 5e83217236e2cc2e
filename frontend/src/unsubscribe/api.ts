/** The preference page's two calls; the token is the only credential (anon may call both). */
import { throwIfError } from "../lib/errors";
import { supabase } from "../lib/supabase";
import { parsePreferences, type PreferenceChange, type Preferences } from "./preferences";

export const preferenceKeys = {
  byToken: (token: string) => ["rpc", "unsubscribe_preferences", token] as const,
};

export async function fetchPreferences(token: string): Promise<Preferences> {
  const { data, error } = await supabase().rpc("unsubscribe_preferences", { p_token: token });
  throwIfError(error);
  return parsePreferences(data);
}

export async function changePreferences(token: string, change: PreferenceChange): Promise<Preferences> {
  const { data, error } = await supabase().rpc("change_unsubscribe_preferences", {
    p_token: token,
    p_preferences: { ...change },
  });
  throwIfError(error);
  return parsePreferences(data);
}
