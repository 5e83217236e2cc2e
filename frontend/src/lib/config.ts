/** Where the SPA finds Supabase. /config.js (written by the static host) sets it before the
 * bundle runs, so one build serves local, test and production projects alike. */
export interface RuntimeConfig {
  supabaseUrl: string;
  supabaseAnonKey: string;
  /** WEBHOOK_PUBLIC_URL, as the workers have it: the base of the webhook URLs admins paste into
   * Twilio and MailerSend ("" when the host does not set it). */
  webhookPublicUrl?: string;
}

declare global {
  interface Window {
    __HM_CONFIG__?: RuntimeConfig;
  }
}

export function runtimeConfig(): RuntimeConfig {
  const config = window.__HM_CONFIG__;
  if (!config?.supabaseUrl || !config.supabaseAnonKey) {
    throw new Error("Missing /config.js: the host must serve SUPABASE_URL and the anon key.");
  }
  return config;
}
