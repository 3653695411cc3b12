import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { builtPackage } from "./build-once.js";

/**
 * Every ```ts block of README.md and docs/*.md type-checks against the
 * package as users get it (dist/index.d.ts, the built declarations), all in
 * one tsc run. A block that is a deliberate fragment is marked ```ts no-check.
 *
 * Each block is its own module. Names the package exports are imported for
 * it when it uses them without importing them (a snippet often shows only
 * the call), and the values the prose around the blocks takes as given (a
 * connected `connector`, a `jobId`…) are declared once, in CONTEXT below.
 */

const ROOT = resolve(import.meta.dirname, "../..");
const WORK = join(ROOT, ".tmp", `snippets-${process.pid}`);
const TSC = join(ROOT, "node_modules", "typescript", "bin", "tsc");

/** What the documentation's prose takes as given around its fragments. */
const CONTEXT = `import type { PhoenixConnector, HallucinationInput } from "phoenix-connector";
declare global {
  /** A connected connector (README "Connector"). */
  const connector: PhoenixConnector;
  const jobId: string;
  const spanId: string;
  const jobV1: string;
  const jobV2: string;
  /** The OpenTelemetry Node SDK, imported by an earlier block. */
  const NodeSDK: typeof import("@opentelemetry/sdk-node").NodeSDK;
  /** A hallucination check's texts (docs/hallucination.md). */
  const context: string;
  const response: string;
  const query: string;
  const input: HallucinationInput;
  /** The user's own model in the custom-detector example. */
  const myModel: { check(context: string, response: string, options: { signal?: AbortSignal }): Promise<{ p: number; why: string; spans: string[] }> };
}
export {};
`;

interface Snippet {
  /** `README.md:40` (the line of the opening fence). */
  label: string;
  source: string;
  /** First line of the code in its Markdown file. */
  line: number;
  code: string;
  file: string;
  /** Lines added before the code (the imports it uses without writing). */
  preludeLines: number;
}

function documents(): string[] {
  const docs = readdirSync(join(ROOT, "docs"))
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => join("docs", name));
  return ["README.md", ...docs];
}

/** The ```ts / ```typescript blocks of a Markdown file, without those marked no-check. */
function extractSnippets(markdownPath: string): Array<Pick<Snippet, "label" | "source" | "line" | "code">> {
  const lines = readFileSync(join(ROOT, markdownPath), "utf8").split("\n");
  const found: Array<Pick<Snippet, "label" | "source" | "line" | "code">> = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*(\S*)(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const [, , fence, language, rest] = open;
    const end = lines.findIndex((l, j) => j > i && l.trim().startsWith(fence!) && l.trim().replace(/[`~]/g, "") === "");
    const close = end === -1 ? lines.length : end;
    if ((language === "ts" || language === "typescript") && !/\bno-check\b/.test(rest!)) {
      found.push({ label: `${markdownPath}:${i + 1}`, source: markdownPath, line: i + 2, code: lines.slice(i + 1, close).join("\n") });
    }
    i = close;
  }
  return found;
}

/** The names dist/index.d.ts exports (its closing `export { A, type B, C as D }`). */
function packageExports(): string[] {
  const declarations = readFileSync(join(ROOT, "dist", "index.d.ts"), "utf8");
  const names = new Set<string>();
  for (const match of declarations.matchAll(/^export \{([^}]*)\};?$/gm)) {
    for (const part of match[1]!.split(",")) {
      const name = part.trim().replace(/^type\s+/, "").split(/\s+as\s+/).pop()!.trim();
      if (/^[A-Za-z_$][\w$]*$/.test(name)) names.add(name);
    }
  }
  for (const match of declarations.matchAll(/^export (?:declare )?(?:const|function|class|interface|type|enum|let) ([A-Za-z_$][\w$]*)/gm)) names.add(match[1]!);
  return [...names];
}

/** Package names the block uses but neither imports nor declares. */
function missingImports(code: string, exported: readonly string[]): string[] {
  const imported = new Set<string>();
  for (const match of code.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s*from/g)) {
    for (const part of match[1]!.split(",")) imported.add(part.trim().replace(/^type\s+/, "").split(/\s+as\s+/).pop()!.trim());
  }
  const declared = (name: string) => new RegExp(`\\b(?:const|let|var|function|class|interface|type|enum)\\s+${name}\\b`).test(code);
  const withoutComments = code.replace(/\/\/.*$/gm, "").replace(/\/\*[\s\S]*?\*\//g, "");
  return exported.filter((name) => !imported.has(name) && !declared(name) && new RegExp(`(?<![\\w$.])${name}(?![\\w$])`).test(withoutComments));
}

interface Diagnostic {
  file: string;
  line: number;
  column: number;
  text: string;
}

function runTsc(project: string): Promise<string> {
  return new Promise((done) => {
    execFile(process.execPath, [TSC, "-p", project, "--pretty", "false"], { cwd: WORK, maxBuffer: 16 * 1024 * 1024 }, (_error, stdout, stderr) =>
      done(`${stdout}${stderr}`),
    );
  });
}

function parseDiagnostics(output: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const line of output.split("\n")) {
    const match = /^(.+?)\((\d+),(\d+)\): error (TS\d+: .*)$/.exec(line);
    if (match) out.push({ file: resolve(WORK, match[1]!), line: Number(match[2]), column: Number(match[3]), text: match[4]! });
    else if (line.startsWith(" ") && out.length > 0) out[out.length - 1]!.text += `\n${line}`;
    else if (line.trim() !== "") out.push({ file: "", line: 0, column: 0, text: line });
  }
  return out;
}

const snippets: Snippet[] = documents()
  .flatMap(extractSnippets)
  .map((s, index) => ({ ...s, file: join(WORK, `snippet-${String(index).padStart(2, "0")}.ts`), preludeLines: 0 }));
let diagnostics: Diagnostic[] = [];

beforeAll(async () => {
  await builtPackage(inject("packageBuild"));
  const exported = packageExports();
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  for (const snippet of snippets) {
    const missing = missingImports(snippet.code, exported);
    const prelude = missing.length > 0 ? `import { ${missing.join(", ")} } from "phoenix-connector";\n` : "";
    snippet.preludeLines = prelude === "" ? 0 : 1;
    // `export {}` makes every block a module: its own scope, top-level await allowed.
    writeFileSync(snippet.file, `${prelude}${snippet.code}\nexport {};\n`);
  }
  writeFileSync(join(WORK, "context.d.ts"), CONTEXT);
  writeFileSync(
    join(WORK, "tsconfig.json"),
    JSON.stringify(
      {
        compilerOptions: {
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          lib: ["ES2023"],
          types: ["node"],
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          // The package as users get it: its built declarations, not src/.
          paths: { "phoenix-connector": [join(ROOT, "dist", "index.d.ts")] },
        },
        files: ["context.d.ts", ...snippets.map((s) => relative(WORK, s.file))],
      },
      null,
      2,
    ),
  );
  diagnostics = parseDiagnostics(await runTsc(join(WORK, "tsconfig.json")));
}, 240_000);

afterAll(() => rmSync(WORK, { recursive: true, force: true }));

describe("the documentation's TypeScript blocks type-check against dist/index.d.ts", () => {
  it("finds the blocks, and tsc reports nothing outside them", () => {
    expect(snippets.length).toBeGreaterThanOrEqual(10);
    expect(diagnostics.filter((d) => !snippets.some((s) => s.file === d.file)).map((d) => `${d.file}: ${d.text}`)).toEqual([]);
  });

  it.each(snippets.map((s) => [s.label, s] as const))("%s", (_label, snippet) => {
    const errors = diagnostics
      .filter((d) => d.file === snippet.file)
      .map((d) => `${snippet.source}:${snippet.line + d.line - 1 - snippet.preludeLines}:${d.column} ${d.text}`);
    expect(errors).toEqual([]);
  });
});
