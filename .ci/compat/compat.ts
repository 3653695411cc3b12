/**
 * The compatibility job: the packed package installed by plain `npm install`
 * into fresh apps, beside each OpenTelemetry JS generation, on each Node line,
 * loaded as an ES module and as CommonJS, registered as a span processor and
 * as a trace exporter, sending to the Phoenix test server.
 *
 *   tsx .ci/compat/compat.ts --node 20=/usr/bin --node 22=DIR --node 24=DIR [--tarball FILE] [--keep]
 *
 * Each `--node MAJOR=DIR` names a directory holding that line's `node` (see
 * node.sh). Without `--tarball`, `npm pack` packs the clone's built dist/.
 * Apps live in a temporary directory under the system's (never under the
 * clone, so no .npmrc of the repository applies) and install with the
 * `npm` on PATH run by that line's node, with npm's cache shared. Exit 1 when
 * any cell of the matrix fails.
 */
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { startPhoenixServer, type PhoenixTestServer } from "../../test/servers/phoenix-server.js";

const ROOT = resolve(import.meta.dirname, "../..");
const APP_TEMPLATES = join(import.meta.dirname, "app");
const APP_TIMEOUT_MILLIS = 60_000;
const INSTALL_TIMEOUT_MILLIS = 300_000;

interface Generation {
  id: "otel3" | "otel2";
  label: string;
  deps: string[];
  /** Oldest Node the generation supports ([major, minor]). */
  minNode: [number, number];
  /** The span SDK package whose version the table shows. */
  traceSdk: string;
}

const GENERATIONS: Generation[] = [
  {
    id: "otel3",
    label: "OTel JS 3",
    deps: ["@opentelemetry/api@latest", "@opentelemetry/sdk-node@latest"],
    minNode: [22, 15],
    traceSdk: "@opentelemetry/sdk-trace",
  },
  {
    id: "otel2",
    label: "OTel JS 2",
    deps: ["@opentelemetry/api@1.9", "@opentelemetry/sdk-node@0.223", "@opentelemetry/sdk-trace-base@2"],
    minNode: [20, 0],
    traceSdk: "@opentelemetry/sdk-trace-base",
  },
];
const FORMATS = ["mjs", "cjs"] as const;
const FORMAT_LABEL = { mjs: "ESM", cjs: "CJS" } as const;
const MODES = ["processor", "exporter"] as const;

/** What every app run must leave in its project: name → Phoenix span kind. */
const EXPECTED_KINDS: Record<string, string> = {
  "compat.workflow": "CHAIN",
  "chat gpt-compat": "LLM",
  "compat.plain": "UNKNOWN",
};

// ---------------------------------------------------------------- arguments

interface NodeLine {
  major: number;
  dir: string;
  version: string;
}

function parseArgs(argv: string[]): { lines: Array<{ major: number; dir: string }>; tarball?: string; keep: boolean } {
  const lines: Array<{ major: number; dir: string }> = [];
  let tarball: string | undefined;
  let keep = process.env.COMPAT_KEEP === "1";
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--node") {
      const value = argv[++i] ?? "";
      const match = /^(\d+)=(.+)$/.exec(value);
      if (!match) usage(`--node wants MAJOR=DIR, got ${JSON.stringify(value)}`);
      lines.push({ major: Number(match[1]), dir: resolve(match[2]!) });
    } else if (arg === "--tarball") {
      tarball = resolve(argv[++i] ?? usage("--tarball wants a file"));
    } else if (arg === "--keep") {
      keep = true;
    } else {
      usage(`unknown argument ${JSON.stringify(arg)}`);
    }
  }
  if (lines.length === 0) usage("at least one --node MAJOR=DIR");
  return { lines, ...(tarball ? { tarball } : {}), keep };
}

function usage(message: string): never {
  console.error(`compat: ${message}\nusage: tsx .ci/compat/compat.ts --node MAJOR=DIR... [--tarball FILE] [--keep]`);
  process.exit(2);
}

// ---------------------------------------------------------------- processes

interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  millis: number;
  timedOut: boolean;
}

function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMillis: number }): Promise<RunResult> {
  const started = Date.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, options.timeoutMillis);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr, millis: Date.now() - started, timedOut });
    });
  });
}

/**
 * The environment of an app or its install: the machine's, less anything
 * that would change what npm, OpenTelemetry or the connector do (npm's
 * lifecycle `npm_*` variables, which carry the repository's .npmrc when this
 * runs under `npm run`, and every `OTEL_*` / `PHOENIX_*` / `OPENINFERENCE_*`
 * setting), with the line's node first on PATH.
 */
function cleanEnv(line: NodeLine, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_|OTEL_|PHOENIX_|OPENINFERENCE_|NODE_OPTIONS$|NODE_PATH$)/i.test(key)) continue;
    env[key] = value;
  }
  // The machine's own line keeps PATH as it is (the same npm as the clone's).
  const machine = realpathSync(process.execPath) === realpathSync(join(line.dir, "node"));
  env.PATH = machine ? (process.env.PATH ?? "") : [line.dir, process.env.PATH ?? ""].join(delimiter);
  // npm's defaults, said out loud in case a user or global npmrc changes them.
  env.npm_config_legacy_peer_deps = "false";
  env.npm_config_force = "false";
  env.npm_config_strict_peer_deps = "false";
  env.npm_config_engine_strict = "false";
  env.npm_config_update_notifier = "false";
  return { ...env, ...extra };
}

// ---------------------------------------------------------------- checks

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
}

function installedVersion(appDir: string, name: string): string {
  const file = join(appDir, "node_modules", name, "package.json");
  return existsSync(file) ? String(readJson(file).version) : "missing";
}

/** Every copy of a package in an app's tree (a second @opentelemetry/api would split the global registration). */
function copiesOf(appDir: string, name: string): string[] {
  const found: string[] = [];
  const walk = (nodeModules: string): void => {
    if (!existsSync(nodeModules)) return;
    if (existsSync(join(nodeModules, name, "package.json"))) found.push(join(nodeModules, name));
    for (const entry of readdirSync(nodeModules, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name.startsWith(".")) continue;
      if (entry.name.startsWith("@")) {
        for (const scoped of readdirSync(join(nodeModules, entry.name), { withFileTypes: true })) {
          if (scoped.isDirectory()) walk(join(nodeModules, entry.name, scoped.name, "node_modules"));
        }
      } else {
        walk(join(nodeModules, entry.name, "node_modules"));
      }
    }
  };
  walk(join(appDir, "node_modules"));
  return found;
}

/** What in npm's output speaks of a peer dependency problem. */
function installProblems(output: string): string[] {
  const problems: string[] = [];
  for (const raw of output.split("\n")) {
    const line = raw.trim();
    if (line === "") continue;
    if (/ERESOLVE/.test(line)) problems.push(line);
    else if (/peer/i.test(line) && /phoenix-connector/.test(line)) problems.push(line);
    else if (/EBADENGINE/.test(line) || (/engine/i.test(line) && /phoenix-connector/.test(line))) problems.push(line);
    else if (/npm (error|ERR!)/.test(line)) problems.push(line);
  }
  return problems;
}

/**
 * npm's warnings that are not problems, once each (shown, not judged); the
 * install-scripts notice (npm 11 runs no dependency's install script it was
 * not told to allow) shrinks to the packages it names.
 */
function npmWarnings(output: string): string[] {
  const lines = output.split("\n").map((l) => l.trim());
  const scripts = lines.filter((l) => /^npm warn install-scripts +\S+@\S+ \(/.test(l)).map((l) => l.replace(/^npm warn install-scripts +/, ""));
  const other = lines.filter((l) => /^npm warn /i.test(l) && !/^npm warn install-scripts\b/i.test(l) && !/^npm warn [\w-]+$/i.test(l));
  return [...new Set([...other, ...(scripts.length > 0 ? [`npm warn install-scripts: not run, not allowed by allowScripts: ${scripts.join("; ")}`] : [])])];
}

async function waitForProject(server: PhoenixTestServer, project: string, count: number): Promise<void> {
  const deadline = Date.now() + 3_000;
  while (server.spans(project).length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  // A little longer, so that a span sent twice or too many would show.
  await new Promise((r) => setTimeout(r, 100));
}

function checkSpans(server: PhoenixTestServer, project: string): string[] {
  const spans = server.spans(project);
  const problems: string[] = [];
  const expectedNames = Object.keys(EXPECTED_KINDS);
  if (spans.length !== expectedNames.length) {
    problems.push(`${spans.length} span(s) in project ${project}, expected ${expectedNames.length}: ${spans.map((s) => s.name).join(", ") || "none"}`);
  }
  const byName = new Map(spans.map((s) => [s.name, s]));
  for (const [name, kind] of Object.entries(EXPECTED_KINDS)) {
    const span = byName.get(name);
    if (!span) problems.push(`no span ${JSON.stringify(name)}`);
    else if (span.span_kind !== kind) problems.push(`${name}: kind ${span.span_kind}, expected ${kind}`);
  }
  const root = byName.get("compat.workflow");
  const chat = byName.get("chat gpt-compat");
  if (root) {
    if (root.parent_id !== null) problems.push(`compat.workflow has parent ${root.parent_id}`);
    if (root.attributes["input.value"] !== "What is 2 + 2?") problems.push(`compat.workflow input.value ${JSON.stringify(root.attributes["input.value"])}`);
    for (const span of spans) {
      if (span.context.trace_id !== root.context.trace_id) problems.push(`${span.name} is in another trace`);
      if (span !== root && span.parent_id !== root.context.span_id) problems.push(`${span.name} has parent ${span.parent_id}, expected ${root.context.span_id}`);
    }
  }
  if (chat && chat.attributes["llm.model_name"] !== "gpt-compat") {
    problems.push(`chat span llm.model_name ${JSON.stringify(chat.attributes["llm.model_name"])}, expected "gpt-compat"`);
  }
  return problems;
}

// ---------------------------------------------------------------- output

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + " ".repeat(width - text.length);
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) => r.map((cell, i) => pad(cell, widths[i]!)).join("  ").trimEnd();
  return [line(rows[0]!), widths.map((w) => "-".repeat(w)).join("  "), ...rows.slice(1).map(line)].join("\n");
}

function indent(text: string, prefix = "      "): string {
  return text
    .trimEnd()
    .split("\n")
    .map((l) => prefix + l)
    .join("\n");
}

const seconds = (millis: number) => `${(millis / 1000).toFixed(1)}s`;

// ---------------------------------------------------------------- main

interface Cell {
  node: string;
  generation: string;
  format: string;
  mode: string;
  result: "ok" | "FAIL" | "n/a";
  detail: string;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  // Outside the clone, so that no .npmrc of the repository applies to the apps.
  const base = resolve(tmpdir()).startsWith(ROOT) ? "/tmp" : tmpdir();
  const work = mkdtempSync(join(base, "phoenix-connector-compat-"));
  const cells: Cell[] = [];
  const installs: string[][] = [["node", "OpenTelemetry", "api", "sdk-node", "span SDK", "phoenix-connector", "install"]];
  let server: PhoenixTestServer | undefined;
  try {
    // The Node lines, as given.
    const lines: NodeLine[] = [];
    for (const { major, dir } of args.lines) {
      const node = join(dir, "node");
      const probe = await run(node, ["-p", "process.version"], { cwd: work, env: { PATH: process.env.PATH ?? "" }, timeoutMillis: 30_000 });
      const version = probe.stdout.trim();
      if (probe.code !== 0 || !version.startsWith(`v${major}.`)) throw new Error(`${node} is not a Node ${major} (${version || probe.stderr.trim()})`);
      lines.push({ major, dir, version });
    }
    console.log(`Node lines: ${lines.map((l) => `${l.major} (${l.version}, ${l.dir})`).join("; ")}`);

    // The package, packed once.
    let tarball = args.tarball;
    if (!tarball) {
      const packed = await run("npm", ["pack", "--json", "--pack-destination", work], { cwd: ROOT, env: process.env, timeoutMillis: 120_000 });
      if (packed.code !== 0) throw new Error(`npm pack failed:\n${packed.stderr}`);
      const info = (JSON.parse(packed.stdout) as Array<{ filename: string }>)[0]!;
      tarball = join(work, info.filename);
    }
    if (!existsSync(tarball)) throw new Error(`no tarball at ${tarball}`);
    console.log(`Package: ${tarball}`);

    // The peer range holds: with an @opentelemetry/api below it, plain npm
    // install refuses the package with ERESOLVE, and this job sees it (so the
    // checks of the installs below are not vacuous).
    {
      const line = lines[0]!;
      const guardDir = join(work, "peer-guard");
      mkdirApp(guardDir, "compat-peer-guard");
      const guard = await run("npm", ["install", "--no-audit", "--no-fund", tarball, "@opentelemetry/api@1.8"], {
        cwd: guardDir,
        env: cleanEnv(line),
        timeoutMillis: INSTALL_TIMEOUT_MILLIS,
      });
      const seen = installProblems(`${guard.stdout}\n${guard.stderr}`);
      const named = /peer @opentelemetry\/api@"[^"]+" from phoenix-connector/.test(guard.stderr);
      const ok = guard.code !== 0 && seen.some((l) => /ERESOLVE/.test(l)) && named;
      console.log(`Peer guard: npm install phoenix-connector @opentelemetry/api@1.8 ${ok ? "is refused with ERESOLVE naming phoenix-connector's peer (as it must)" : "was NOT refused as expected"} (${seconds(guard.millis)})`);
      if (!ok) {
        console.log(indent(`${guard.stdout}\n${guard.stderr}`, "    | "));
        cells.push({ node: `${line.major}`, generation: "api 1.8", format: "*", mode: "*", result: "FAIL", detail: "an @opentelemetry/api outside the peer range was not refused" });
      }
      rmSync(guardDir, { recursive: true, force: true });
    }

    server = await startPhoenixServer();
    console.log(`Phoenix test server: ${server.url}\n`);

    for (const line of lines) {
      for (const generation of GENERATIONS) {
        const nodeLabel = `${line.major}`;
        const [minMajor, minMinor] = generation.minNode;
        const [major, minor] = line.version.slice(1).split(".").map(Number) as [number, number];
        if (major < minMajor || (major === minMajor && minor < minMinor)) {
          const detail = `needs Node >= ${minMajor}.${minMinor}`;
          for (const format of FORMATS) for (const mode of MODES) cells.push({ node: nodeLabel, generation: generation.label, format: FORMAT_LABEL[format], mode, result: "n/a", detail });
          continue;
        }
        const appDir = join(work, `node${line.major}-${generation.id}`);
        mkdirApp(appDir, `compat-node${line.major}-${generation.id}`);
        process.stdout.write(`[node ${line.major} · ${generation.label}] npm install ${generation.deps.join(" ")} + phoenix-connector ... `);
        const install = await run("npm", ["install", "--no-audit", "--no-fund", tarball, ...generation.deps], {
          cwd: appDir,
          env: cleanEnv(line),
          timeoutMillis: INSTALL_TIMEOUT_MILLIS,
        });
        const output = `${install.stdout}\n${install.stderr}`;
        const problems = installProblems(output);
        if (install.code !== 0) problems.unshift(`npm install exited ${install.code}${install.timedOut ? " (timed out)" : ""}`);
        const apiCopies = copiesOf(appDir, "@opentelemetry/api");
        if (install.code === 0 && apiCopies.length !== 1) problems.push(`${apiCopies.length} copies of @opentelemetry/api: ${apiCopies.join(", ")}`);
        const sdkCopies = copiesOf(appDir, generation.traceSdk);
        installs.push([
          nodeLabel,
          generation.label,
          installedVersion(appDir, "@opentelemetry/api"),
          installedVersion(appDir, "@opentelemetry/sdk-node"),
          `${generation.traceSdk.replace("@opentelemetry/", "")} ${[...new Set(sdkCopies.map((d) => String(readJson(join(d, "package.json")).version)))].join(", ") || "missing"}`,
          installedVersion(appDir, "phoenix-connector"),
          seconds(install.millis),
        ]);
        if (problems.length > 0) {
          console.log(`FAIL (${seconds(install.millis)})`);
          console.log(indent(problems.join("\n")));
          console.log(indent(output, "    | "));
          for (const format of FORMATS) for (const mode of MODES) cells.push({ node: nodeLabel, generation: generation.label, format: FORMAT_LABEL[format], mode, result: "FAIL", detail: "install failed" });
          continue;
        }
        console.log(`ok (${seconds(install.millis)})`);
        for (const warning of npmWarnings(output)) console.log(`    ${warning}`);

        for (const format of FORMATS) {
          for (const mode of MODES) {
            const project = `compat-node${line.major}-${generation.id}-${format}-${mode}`;
            const app = await run(join(line.dir, "node"), [`app.${format}`], {
              cwd: appDir,
              env: cleanEnv(line, { COMPAT_ENDPOINT: server.url, COMPAT_PROJECT: project, COMPAT_MODE: mode }),
              timeoutMillis: APP_TIMEOUT_MILLIS,
            });
            const failures: string[] = [];
            if (app.code !== 0) failures.push(`app exited ${app.code ?? app.signal}${app.timedOut ? " (timed out)" : ""}`);
            else if (!app.stdout.includes('"ok":true')) failures.push("app printed no ok line");
            if (app.stderr.trim() !== "") failures.push(`app wrote to stderr: ${app.stderr.trim().split("\n")[0]!.slice(0, 80)}`);
            await waitForProject(server, project, Object.keys(EXPECTED_KINDS).length);
            failures.push(...checkSpans(server, project));
            const kinds = server
              .spans(project)
              .map((s) => s.span_kind)
              .join(",");
            cells.push({
              node: nodeLabel,
              generation: generation.label,
              format: FORMAT_LABEL[format],
              mode,
              result: failures.length === 0 ? "ok" : "FAIL",
              detail: failures.length === 0 ? `${kinds} in ${seconds(app.millis)}` : `${failures[0]!}${failures.length > 1 ? ` (+${failures.length - 1} more)` : ""}`,
            });
            if (failures.length > 0) {
              console.log(`  FAIL node ${line.major} · ${generation.label} · ${format} · ${mode} (project ${project})`);
              console.log(indent(failures.join("\n")));
              if (app.stdout.trim()) console.log(indent(app.stdout, "    stdout | "));
              if (app.stderr.trim()) console.log(indent(app.stderr, "    stderr | "));
            }
          }
        }
      }
    }

    // Nothing may land anywhere but in the apps' own projects.
    const stray = server.spans().filter((s) => !server!.store.projects.find((p) => p.rowId === s.projectRowId)?.name.startsWith("compat-"));
    if (stray.length > 0) cells.push({ node: "*", generation: "*", format: "*", mode: "*", result: "FAIL", detail: `${stray.length} span(s) outside the apps' projects` });
    if (server.violations.length > 0) {
      cells.push({ node: "*", generation: "*", format: "*", mode: "*", result: "FAIL", detail: `${server.violations.length} contract violation(s): ${server.violations[0]}` });
    }
  } finally {
    await server?.close();
    if (args.keep) console.log(`\nKept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }

  console.log(`\nInstalled (plain npm install, the line's own node and npm):\n${table(installs)}`);
  const rows = [["node", "OpenTelemetry", "format", "setup", "result", "detail"], ...cells.map((c) => [c.node, c.generation, c.format, c.mode, c.result, c.detail])];
  console.log(`\nCompatibility matrix:\n${table(rows)}`);
  const failed = cells.filter((c) => c.result === "FAIL").length;
  const ok = cells.filter((c) => c.result === "ok").length;
  const skipped = cells.filter((c) => c.result === "n/a").length;
  console.log(`\ncompat: ${ok} ok, ${failed} failed, ${skipped} not applicable, in ${seconds(Date.now() - started)}`);
  process.exitCode = failed > 0 || ok === 0 ? 1 : 0;
}

function mkdirApp(dir: string, name: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), `${JSON.stringify({ name, version: "1.0.0", private: true, description: "phoenix-connector compatibility app" }, null, 2)}\n`);
  for (const file of ["app.mjs", "app.cjs"]) copyFileSync(join(APP_TEMPLATES, file), join(dir, file));
}

main().catch((error: unknown) => {
  console.error(`compat: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
