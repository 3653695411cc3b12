import { execFile } from "node:child_process";
import { mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { TestProject } from "vitest/node";

/**
 * `npm run build`, at most once per test run, shared by every test that
 * needs dist/ (the packed package, the bin, the README snippets):
 *
 * - as a vitest `globalSetup` (vitest.config.ts), before any test file runs;
 *   a failed build does not stop the run, it is handed to those tests
 *   (`inject("packageBuild")`), which fail with the build's own output;
 * - or from such a test itself through {@link ensureBuilt} when there is no
 *   global setup (a single file run with another config).
 *
 * dist/ is rebuilt only when it is missing or older than a source file, under
 * a lock directory, so that test runs started at once in one checkout do not
 * build over each other.
 */

const ROOT = resolve(import.meta.dirname, "../..");
const LOCK = join(ROOT, ".tmp", "build.lock");
/** A lock older than this was left by a killed run. */
const STALE_LOCK_MILLIS = 5 * 60_000;
const POLL_MILLIS = 100;

/** What dist/ must hold for the tests. */
const OUTPUTS = ["dist/index.js", "dist/index.cjs", "dist/index.d.ts", "dist/index.d.cts", "dist/cli/main.js"];
/** What dist/ is built from. */
const INPUTS = ["src", "package.json", "tsup.config.ts", "tsconfig.json"];

export type PackageBuild = { ok: true; built: boolean } | { ok: false; error: string };

declare module "vitest" {
  export interface ProvidedContext {
    packageBuild: PackageBuild;
  }
}

/** The test files that need dist/. */
const USERS = ["test/package/packaging.test.ts", "test/package/readme-snippets.test.ts", "test/cli/bin.test.ts"];

/**
 * The vitest global setup: builds once, and tells the tests how it went. A
 * run whose file filters (`vitest run test/cli/doctor`) select none of the
 * tests that need dist/ builds nothing; should that guess be wrong, such a
 * test finds nothing provided and builds for itself.
 */
export default async function setup(project: TestProject): Promise<void> {
  if (!mayRunUsers(process.argv.slice(2))) return;
  let result: PackageBuild;
  try {
    result = { ok: true, built: await ensureBuilt() };
  } catch (error) {
    result = { ok: false, error: (error as Error).message };
  }
  project.provide("packageBuild", result);
}

/**
 * Builds dist/ unless it is complete and newer than every source; resolves
 * with whether it built. Throws with the build's output when it fails.
 */
export async function ensureBuilt(): Promise<boolean> {
  if (isFresh()) return false;
  await acquireLock();
  try {
    // Another run may have built it while this one waited.
    if (isFresh()) return false;
    await build();
    return true;
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/** For a test: the global setup's build, else one of its own. */
export async function builtPackage(injected: PackageBuild | undefined): Promise<void> {
  if (injected === undefined) {
    await ensureBuilt();
    return;
  }
  if (!injected.ok) throw new Error(`npm run build failed:\n${injected.error}`);
}

/** Vitest filters are substrings of the test files' paths; with none, every file runs. */
function mayRunUsers(argv: readonly string[]): boolean {
  const filters = argv.filter((arg, i) => !arg.startsWith("-") && !["run", "watch", "dev", "related", "bench"].includes(arg) && !argv[i - 1]?.startsWith("-"));
  return filters.length === 0 || filters.some((filter) => USERS.some((file) => file.includes(filter.replace(/^\.\//, ""))));
}

function isFresh(): boolean {
  let oldestOutput = Infinity;
  for (const output of OUTPUTS) {
    try {
      oldestOutput = Math.min(oldestOutput, statSync(join(ROOT, output)).mtimeMs);
    } catch {
      return false;
    }
  }
  return INPUTS.every((input) => newestMtime(join(ROOT, input)) <= oldestOutput);
}

function newestMtime(path: string): number {
  const info = statSync(path, { throwIfNoEntry: false });
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

async function acquireLock(): Promise<void> {
  mkdirSync(join(ROOT, ".tmp"), { recursive: true });
  for (;;) {
    try {
      mkdirSync(LOCK);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const age = Date.now() - (statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > STALE_LOCK_MILLIS) rmSync(LOCK, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, POLL_MILLIS));
    }
  }
}

function build(): Promise<void> {
  return new Promise((done, fail) => {
    execFile("npm", ["run", "build"], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!error) return done();
      const output = `${stdout}\n${stderr}`.trim().split("\n").slice(-40).join("\n");
      fail(new Error(output || error.message));
    });
  });
}
