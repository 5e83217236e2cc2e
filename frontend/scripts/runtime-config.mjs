// The one place that turns SUPABASE_URL and SUPABASE_ANON_KEY (and the optional
// WEBHOOK_PUBLIC_URL, the webhook server's public base the Senders page shows for pasting into
// Twilio and MailerSend) into the /config.js the SPA loads before its bundle. Used by `vite dev`,
// by scripts/serve.mjs and by deploy steps.

/** @param {Record<string, string | undefined>} env */
export function runtimeConfigScript(env) {
  const url = env.SUPABASE_URL;
  const anonKey = env.SUPABASE_ANON_KEY;
  if (!url || !anonKey) {
    throw new Error("SUPABASE_URL and SUPABASE_ANON_KEY must be set to serve /config.js");
  }
  const config = { supabaseUrl: url, supabaseAnonKey: anonKey, webhookPublicUrl: env.WEBHOOK_PUBLIC_URL ?? "" };
  return `window.__HM_CONFIG__ = ${JSON.stringify(config)};\n`;
}
