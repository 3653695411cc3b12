import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { beforeAll, expect, inject, it } from "vitest";
import { temporaryDirectory } from "../connector/support.js";
import { builtPackage } from "../package/build-once.js";

const ROOT = resolve(import.meta.dirname, "../..");
const BIN = join(ROOT, (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { bin: Record<string, string> }).bin["phoenix-connector"]!);

// dist/ as the global setup built it (test/package/build-once.ts), or built here when it is missing or stale.
beforeAll(() => builtPackage(inject("packageBuild")), 240_000);

it("the package's bin is an executable ESM bundle that runs on its own", () => {
  expect(readFileSync(BIN, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
  const version = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
  const env = { PATH: process.env.PATH ?? "", PHOENIX_DISCOVER_CONFIG: "false" };
  expect(execFileSync(BIN, ["--version"], { encoding: "utf8", env }).trim()).toBe(version);
  const dir = temporaryDirectory("phoenix-bin-");
  try {
    const out = execFileSync(BIN, ["doctor", "--endpoint", `file://${dir.path}`], { encoding: "utf8", env });
    expect(out).toContain("[ok]   local store");
    // A reader that stops early (| head -c 1) is no crash for the bundle either: status 0, nothing on stderr.
    const errors = join(dir.path, "stderr.txt");
    const closed = execFileSync(
      "bash",
      ["-c", '"$0" doctor --endpoint "file://$1" 2>"$2" | head -c 1 >/dev/null; echo "${PIPESTATUS[0]}"', BIN, dir.path, errors],
      { encoding: "utf8", env },
    );
    expect(closed.trim()).toBe("0");
    expect(readFileSync(errors, "utf8")).toBe("");
  } finally {
    dir.remove();
  }
});
