// The one place that turns SUPABASE_URL and SUPABASE_ANON_KEY into the /config.js the SPA loads
// before its bundle. Used by `vite dev`, by scripts/serve.mjs and by deploy steps.

/** @param {Record<string, string | undefined>} env */
export function runtimeConfigScript(env) {
  const url = env.SUPABASE_URL;
  const anonKey = env.SUPABASE_ANON_KEY;
  if (!url || !anonKey) {
    throw new Error("SUPABASE_URL and SUPABASE_ANON_KEY must be set to serve /config.js");
  }
  const config = { supabaseUrl: url, supabaseAnonKey: anonKey };
  return `window.__HM_CONFIG__ = ${JSON.stringify(config)};\n`;
}
