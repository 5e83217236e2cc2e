import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import { runtimeConfig } from "./config";
import type { Database } from "./database.types";

export type Client = SupabaseClient<Database>;

let client: Client | undefined;

/** The one Supabase client of the app, created on first use (after /config.js ran). */
export function supabase(): Client {
  if (!client) {
    const { supabaseUrl, supabaseAnonKey } = runtimeConfig();
    client = createClient<Database>(supabaseUrl, supabaseAnonKey, {
      auth: { storageKey: "hm-session", persistSession: true, autoRefreshToken: true },
    });
  }
  return client;
}
