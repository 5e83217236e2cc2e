// Run vitest once and end with "N passed, N failed" — the closing line CI counts (vitest's own
// summary is not one it recognises). Exit code is vitest's.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const folder = mkdtempSync(join(tmpdir(), "hm-vitest-"));
const report = join(folder, "report.json");
const vitest = join(root, "node_modules/vitest/vitest.mjs");
const run = spawnSync(
  process.execPath,
  [vitest, "run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { cwd: root, stdio: "inherit" },
);
let summary = "0 passed, 1 failed (vitest wrote no report)";
try {
  const result = JSON.parse(readFileSync(report, "utf8"));
  summary = `${result.numPassedTests} passed, ${result.numFailedTests} failed`;
  if (result.numPendingTests > 0) summary += `, ${result.numPendingTests} skipped`;
} catch (error) {
  console.error(`Could not read vitest's report: ${error}`);
}
rmSync(folder, { recursive: true, force: true });
console.log(summary);
process.exit(run.status ?? 1);
