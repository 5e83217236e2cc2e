// Serve the built SPA (dist/) the way any static host would: files as they are, index.html for
// every other path (client-side routes), and /config.js from SUPABASE_URL + SUPABASE_ANON_KEY.
// Usage: SUPABASE_URL=… SUPABASE_ANON_KEY=… node scripts/serve.mjs [--port 4173] [--host 127.0.0.1]
import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { dirname, extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { runtimeConfigScript } from "./runtime-config.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "dist");
const { values } = parseArgs({
  options: { port: { type: "string", default: "4173" }, host: { type: "string", default: "127.0.0.1" } },
});
const configScript = runtimeConfigScript(process.env);
if (!existsSync(join(root, "index.html"))) {
  console.error(`No build in ${root}: run \`npm run build\` first.`);
  process.exit(1);
}

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".map": "application/json",
  ".woff2": "font/woff2",
};

function fileFor(pathname) {
  const candidate = normalize(join(root, decodeURIComponent(pathname)));
  if (candidate.startsWith(root) && existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  return null;
}

const server = createServer((request, response) => {
  const { pathname } = new URL(request.url ?? "/", "http://localhost");
  if (pathname === "/config.js") {
    response.writeHead(200, { "content-type": "text/javascript", "cache-control": "no-store" });
    response.end(configScript);
    return;
  }
  const file = fileFor(pathname) ?? join(root, "index.html");
  const hashed = pathname.startsWith("/assets/");
  response.writeHead(200, {
    "content-type": TYPES[extname(file)] ?? "application/octet-stream",
    "cache-control": hashed ? "public, max-age=31536000, immutable" : "no-cache",
  });
  createReadStream(file).pipe(response);
});
server.listen(Number(values.port), values.host, () => {
  console.log(`Serving ${root} at http://${values.host}:${values.port}/`);
});
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => server.close(() => process.exit(0)));
