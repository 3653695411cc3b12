import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { builtPackage } from "./build-once.js";

/**
 * The package as users get it: `npm pack`, unpacked into a scratch project's
 * node_modules, then used from CommonJS, ESM and TypeScript. The scratch
 * project lives under the repository so its other dependencies resolve from
 * the repository's node_modules without any network; a separate check makes
 * sure every runtime import of dist/ is declared in dependencies or
 * peerDependencies, which that shortcut would otherwise hide.
 */
const ROOT = resolve(import.meta.dirname, "../..");
const SCRATCH = join(ROOT, ".tmp", `packaging-${process.pid}`);
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
};

function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

beforeAll(async () => {
  await builtPackage(inject("packageBuild"));
  rmSync(SCRATCH, { recursive: true, force: true });
  mkdirSync(join(SCRATCH, "node_modules", "phoenix-connector"), { recursive: true });
  const tarball = run("npm", ["pack", "--silent", "--pack-destination", SCRATCH], ROOT).trim().split("\n").pop()!;
  run("tar", ["xzf", join(SCRATCH, tarball), "-C", join(SCRATCH, "node_modules", "phoenix-connector"), "--strip-components=1"], SCRATCH);
  writeFileSync(join(SCRATCH, "package.json"), JSON.stringify({ name: "scratch", private: true }));
}, 120_000);

afterAll(() => rmSync(SCRATCH, { recursive: true, force: true }));

describe("the packed package", () => {
  it("ships dist, README and declarations, and no tests or sources", () => {
    const files = run("npm", ["pack", "--dry-run", "--json"], ROOT);
    const names = (JSON.parse(files) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path);
    expect(names).toContain("dist/index.js");
    expect(names).toContain("dist/index.cjs");
    expect(names).toContain("dist/index.d.ts");
    expect(names).toContain("dist/index.d.cts");
    expect(names).toContain("README.md");
    expect(names.some((n) => n.startsWith("test/") || n.startsWith("src/"))).toBe(false);
  });

  it("works from CommonJS require", () => {
    const out = run(
      "node",
      ["-e", "const p = require('phoenix-connector'); console.log(typeof p.PhoenixSpanProcessor, typeof p.PhoenixSpanExporter, typeof p.mapSpan)"],
      SCRATCH,
    );
    expect(out.trim()).toBe("function function function");
  });

  it("works from an ESM import", () => {
    const out = run(
      "node",
      ["--input-type=module", "-e", "import { PhoenixSpanProcessor, mapSpan } from 'phoenix-connector'; console.log(typeof PhoenixSpanProcessor, typeof mapSpan)"],
      SCRATCH,
    );
    expect(out.trim()).toBe("function function");
  });

  it("type-checks from TypeScript (ESM and CommonJS resolution)", () => {
    writeFileSync(
      join(SCRATCH, "use.ts"),
      [
        'import { PhoenixSpanProcessor, PhoenixSpanExporter, type PhoenixSpan, type PhoenixSpanProcessorOptions } from "phoenix-connector";',
        'const options: PhoenixSpanProcessorOptions = { projectName: "p", scheduledDelayMillis: 3000 };',
        "const processor = new PhoenixSpanProcessor(options);",
        "const exporter: PhoenixSpanExporter = new PhoenixSpanExporter();",
        "const span: PhoenixSpan | undefined = undefined;",
        "void processor; void exporter; void span;",
        "const exported: number = processor.exporter.stats().exported;",
        "void exported;",
        "// @ts-expect-error a wrong option type must not compile",
        'new PhoenixSpanProcessor({ projectName: 42 });',
      ].join("\n"),
    );
    const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
    for (const module of [["NodeNext", "NodeNext"], ["CommonJS", "Node10"]]) {
      run("node", [tsc, "--noEmit", "--strict", "--skipLibCheck", "false", "--module", module[0]!, "--moduleResolution", module[1]!, "--target", "ES2022", "--types", "node", "--typeRoots", join(ROOT, "node_modules", "@types"), "use.ts"], SCRATCH);
    }
    // Two full type-checks: ~9 s on a quiet machine, several times that on a busy 2-core one; the limit only catches a hang.
  }, 180_000);

  it("declares every runtime import of dist/ in dependencies or peerDependencies", () => {
    const declared = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})]);
    const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
    const missing = new Set<string>();
    const dist = join(ROOT, "dist");
    const files = readdirSync(dist, { recursive: true, encoding: "utf8" }).filter((f) => /\.(c?js)$/.test(f));
    for (const file of files) {
      const text = readFileSync(join(dist, file), "utf8");
      for (const match of text.matchAll(/(?:from\s*["']|require\(\s*["']|import\(\s*["'])([^"'./][^"']*)["']/g)) {
        const spec = match[1]!;
        if (builtins.has(spec) || builtins.has(spec.split("/")[0]!)) continue;
        const name = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]!;
        if (!declared.has(name)) missing.add(`${name} (${file})`);
      }
    }
    expect([...missing]).toEqual([]);
  });
});
