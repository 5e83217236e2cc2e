import tailwindcss from "@tailwindcss/vite";
import { defineConfig } from "vitest/config";
import solid from "vite-plugin-solid";
import { runtimeConfigScript } from "./scripts/runtime-config.mjs";

// The SPA reads SUPABASE_URL and the anon key at run time from /config.js (see README): one
// build serves every environment. In `vite dev` the same script is answered from the environment.
export default defineConfig({
  plugins: [
    solid(),
    tailwindcss(),
    {
      name: "hm-runtime-config",
      configureServer(server) {
        server.middlewares.use("/config.js", (_request, response) => {
          response.setHeader("content-type", "text/javascript");
          response.end(runtimeConfigScript(process.env));
        });
      },
    },
  ],
  // The manifest lets the first-paint benches count a route's static import graph (scripts/first-paint.mjs).
  build: { target: "es2022", sourcemap: true, manifest: true },
  test: {
    globals: true,
    // Typing into Ark components in jsdom takes seconds on a busy shared CI machine.
    testTimeout: 30_000,
    // Building a jsdom window costs about a second per test file, so only component tests (.tsx)
    // get one; logic tests run in plain Node. A .ts test that needs the DOM says so in a
    // `// @vitest-environment jsdom` comment at its top.
    projects: [
      { extends: true, test: { name: "logic", environment: "node", include: ["src/**/*.test.ts"] } },
      {
        extends: true,
        test: {
          name: "components",
          environment: "jsdom",
          // One window per worker, not per file: vitest.setup.ts unmounts after every test.
          isolate: false,
          include: ["src/**/*.test.tsx"],
          setupFiles: ["./vitest.setup.ts"],
        },
      },
    ],
  },
});
