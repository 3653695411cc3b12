import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { beforeAll, expect, it } from "vitest";
import { temporaryDirectory } from "../connector/support.js";

const ROOT = resolve(import.meta.dirname, "../..");
const BIN = join(ROOT, (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { bin: Record<string, string> }).bin["phoenix-connector"]!);

beforeAll(() => {
  if (!existsSync(BIN)) execFileSync("npm", ["run", "build"], { cwd: ROOT, stdio: "ignore" });
}, 120_000);

it("the package's bin is an executable ESM bundle that runs on its own", () => {
  expect(readFileSync(BIN, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
  const version = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
  const env = { PATH: process.env.PATH ?? "", PHOENIX_DISCOVER_CONFIG: "false" };
  expect(execFileSync(BIN, ["--version"], { encoding: "utf8", env }).trim()).toBe(version);
  const dir = temporaryDirectory("phoenix-bin-");
  try {
    const out = execFileSync(BIN, ["doctor", "--endpoint", `file://${dir.path}`], { encoding: "utf8", env });
    expect(out).toContain("[ok]   local store");
  } finally {
    dir.remove();
  }
});
