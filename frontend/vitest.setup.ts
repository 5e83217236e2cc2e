import "@testing-library/jest-dom/vitest";
import { cleanup } from "@solidjs/testing-library";
import { afterEach } from "vitest";

// Component test files share one jsdom window per worker (`isolate: false`): testing-library
// registers its own cleanup only in the first file that imports it, so every file unmounts here.
afterEach(cleanup);
