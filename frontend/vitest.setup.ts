import "@testing-library/jest-dom/vitest";
import { cleanup } from "@solidjs/testing-library";
import { afterEach } from "vitest";
import { toaster } from "./src/ui/notifications";

// Component test files share one jsdom window per worker (`isolate: false`): testing-library
// registers its own cleanup only in the first file that imports it, so every file unmounts here.
// The toaster is a module-level store that the shared window keeps too: a test's toasts would
// otherwise still be queued in the next file (it shows 4 at most), so each test starts with none.
afterEach(() => {
  cleanup();
  toaster.remove();
});
