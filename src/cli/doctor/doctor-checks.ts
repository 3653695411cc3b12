import { randomUUID } from "node:crypto";
import { mkdir, rmdir, stat, unlink, writeFile } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { Agent, request } from "undici";
import { describeProblem, type EnvironmentProblem } from "../../config/config-warnings.js";
import type { ResolvedConnection } from "../../config/phoenix-config.js";
import { LocalStore } from "../../store/local-store.js";
import { readNetworkError } from "../../http/network-error.js";

export type CheckStatus = "ok" | "warn" | "fail" | "skip";

/** One line of `doctor`: what was checked, what was found, and what to do when it is not right. */
export interface CheckResult {
  name: string;
  status: CheckStatus;
  detail: string;
  /** What to do about a warning or failure. */
  fix?: string;
}

export interface DoctorOptions {
  connection: ResolvedConnection;
  /** The project spans would go to. */
  project: string;
  /** Where the endpoint came from, for the first line (`--endpoint`, `PHOENIX_COLLECTOR_ENDPOINT`, `default`). */
  endpointSource: string;
  /** Per request. Default 5000 ms. */
  timeoutMillis?: number;
  /** Variables that are set but cannot be used (or disagree), from `environmentProblems()`. */
  problems?: readonly EnvironmentProblem[];
}

/** The first Phoenix with the REST span route (`POST /v1/projects/{project}/spans`). */
const REST_SPAN_ROUTE_SINCE: readonly [number, number] = [10, 12];
const START_PHOENIX = "Start Phoenix (`phoenix serve`, or `docker run -p 6006:6006 arizephoenix/phoenix`), or point --endpoint / PHOENIX_COLLECTOR_ENDPOINT at it.";

/**
 * Checks, in order, what the exporter and the connector need: the endpoint
 * answers, the API key is accepted, the Phoenix version, the span route
 * (else the OTLP fallback the exporter would use), and the project. A check
 * that cannot run because an earlier one failed is skipped.
 */
export async function runDoctorChecks(options: DoctorOptions): Promise<CheckResult[]> {
  const { endpoint, credentials } = options.connection;
  const problems = options.problems ?? [];
  const results: CheckResult[] = [
    {
      name: "configuration",
      status: problems.some((p) => p.severity === "unusable") ? "fail" : problems.length > 0 ? "warn" : "ok",
      detail: `endpoint ${endpoint.display} (${options.endpointSource}); API key ${credentials.hasApiKey ? "set" : "not set"}; project "${options.project}"`,
    },
    // A setting that cannot be used is a failure: what the exporter would use instead is not what was asked for.
    ...problems.map((problem): CheckResult => ({
      name: "",
      status: problem.severity === "unusable" ? "fail" : "warn",
      detail: describeProblem({ ...problem, fix: "" }).trim(),
      fix: problem.fix,
    })),
  ];
  const unusableEndpoint = problems.find((p) => p.variable === "PHOENIX_COLLECTOR_ENDPOINT" && p.severity === "unusable");
  if (unusableEndpoint) {
    const reason = `${unusableEndpoint.variable} is unusable`;
    return [...results, ...skipped(endpoint.kind === "file" ? ["local store", "project"] : ["reachable", "api key", "version", "span route", "project"], reason)];
  }
  if (endpoint.kind === "file") return [...results, ...(await localStoreChecks(endpoint.directory, options.project))];

  const agent = new Agent({ connect: { timeout: options.timeoutMillis ?? 5_000, ...(options.connection.ca ? { ca: options.connection.ca } : {}) } });
  const timeout = options.timeoutMillis ?? 5_000;
  const call = async (method: "GET" | "POST", path: string, body?: { type: string; data: string | Uint8Array }) => {
    const started = Date.now();
    const answer = await request(`${endpoint.baseUrl}${path}`, {
      method,
      dispatcher: agent,
      headersTimeout: timeout,
      bodyTimeout: timeout,
      headers: { ...credentials.toRequestHeaders(), ...(body ? { "content-type": body.type } : {}) },
      ...(body ? { body: body.data } : {}),
    });
    const text = await answer.body.text();
    return { status: answer.statusCode, text, millis: Date.now() - started };
  };

  try {
    // 1. Reachable: any HTTP answer will do (a 401 is an answer).
    let version: { status: number; text: string; millis: number };
    try {
      version = await call("GET", "/arize_phoenix_version");
    } catch (error) {
      const reading = networkReading(error, endpoint.baseUrl, timeout);
      results.push({ name: "reachable", status: "fail", detail: `no answer from ${endpoint.display}: ${reading.reason}`, fix: reading.fix });
      return [...results, ...skipped(["api key", "version", "span route", "project"], "Phoenix did not answer")];
    }
    results.push({ name: "reachable", status: "ok", detail: `${endpoint.display} answered in ${version.millis} ms` });

    // 2. The API key, on a route that always needs one when authentication is on.
    const projects = await call("GET", "/v1/projects?limit=1");
    if (projects.status === 401 || projects.status === 403) {
      results.push(
        projects.status === 401
          ? {
              name: "api key",
              status: "fail",
              detail: credentials.hasApiKey ? "refused (401): the key is wrong or revoked" : "Phoenix requires an API key (401) and none is set",
              fix: "Set PHOENIX_API_KEY (or --api-key) to a key created in Phoenix under Settings > API Keys.",
            }
          : { name: "api key", status: "fail", detail: "accepted but may not read projects (403)", fix: "Use a key of a user or system account with access to this Phoenix." },
      );
      return [...results, ...skipped(["version", "span route", "project"], "the API key was refused")];
    }
    if (projects.status !== 200) {
      results.push({ name: "api key", status: "fail", detail: `GET /v1/projects answered ${projects.status}: is this a Phoenix server?`, fix: START_PHOENIX });
      return [...results, ...skipped(["version", "span route", "project"], "the endpoint does not answer like Phoenix")];
    }
    results.push({ name: "api key", status: "ok", detail: credentials.hasApiKey ? "accepted" : "none needed (authentication is off)" });

    // 3. The version.
    const versionText = version.status === 200 ? version.text.trim() : "";
    const parsed = /^(\d+)\.(\d+)/.exec(versionText);
    if (!parsed) {
      results.push({ name: "version", status: "warn", detail: `unknown (GET /arize_phoenix_version answered ${version.status})`, fix: "Phoenix 10.12 or newer is expected." });
    } else {
      const older = Number(parsed[1]) < REST_SPAN_ROUTE_SINCE[0] || (Number(parsed[1]) === REST_SPAN_ROUTE_SINCE[0] && Number(parsed[2]) < REST_SPAN_ROUTE_SINCE[1]);
      results.push(
        older
          ? { name: "version", status: "warn", detail: `Phoenix ${versionText}, older than 10.12`, fix: "Spans will go over OTLP; upgrade Phoenix for the REST span route." }
          : { name: "version", status: "ok", detail: `Phoenix ${versionText}` },
      );
    }

    // 4. The project, looked up first so that the empty write below goes to a project that exists (nothing is created).
    const project = await call("GET", `/v1/projects/${encodeURIComponent(options.project)}`);
    const projectExists = project.status === 200;
    const projectResult: CheckResult = projectExists
      ? { name: "project", status: "ok", detail: `"${options.project}" exists` }
      : project.status === 404
        ? { name: "project", status: "ok", detail: `"${options.project}" does not exist yet; it is created with its first span` }
        : { name: "project", status: "fail", detail: `GET /v1/projects/{project} answered ${project.status}`, fix: "Check the project name (--project / PHOENIX_PROJECT)." };

    // 5. The span route: an empty batch stores nothing.
    const route = `/v1/projects/${encodeURIComponent(projectExists ? options.project : "default")}/spans`;
    results.push(await spanRouteCheck(route, await call("POST", route, { type: "application/json", data: JSON.stringify({ data: [] }) }), () =>
      // An empty body is a valid OTLP ExportTraceServiceRequest with no spans.
      call("POST", "/v1/traces", { type: "application/x-protobuf", data: new Uint8Array() }),
    ));
    results.push(projectResult);
    return results;
  } catch (error) {
    const reading = networkReading(error, endpoint.baseUrl, timeout);
    results.push({ name: "connection", status: "fail", detail: `lost the connection: ${reading.reason}`, fix: reading.fix });
    return results;
  } finally {
    await agent.close();
  }
}

async function spanRouteCheck(route: string, answer: { status: number }, otlp: () => Promise<{ status: number }>): Promise<CheckResult> {
  const name = "span route";
  if (answer.status >= 200 && answer.status < 300) return { name, status: "ok", detail: `POST /v1/projects/{project}/spans answered ${answer.status}: spans go over REST` };
  if (answer.status === 403) return { name, status: "fail", detail: "the API key may not write spans (403)", fix: "Use a key with write access (a member's or admin's, or a system key)." };
  if (answer.status !== 404 && answer.status !== 405) return { name, status: "fail", detail: `POST ${route} answered ${answer.status}`, fix: START_PHOENIX };
  const fallback = await otlp();
  return fallback.status >= 200 && fallback.status < 300
    ? {
        name,
        status: "warn",
        detail: `no REST span route (POST ${route} answered ${answer.status}): the exporter falls back to OTLP/HTTP (POST /v1/traces), which answered ${fallback.status}`,
        fix: "Spans still arrive; upgrade Phoenix to 10.12 or newer for the REST route (per-span errors, duplicate detection).",
      }
    : {
        name,
        status: "fail",
        detail: `neither the REST span route (${answer.status}) nor OTLP/HTTP POST /v1/traces (${fallback.status}) accepts spans`,
        fix: "Check that the endpoint is Phoenix's base URL (e.g. http://localhost:6006), without a path Phoenix does not serve.",
      };
}

/**
 * The local store can really be used: its directory is created when missing
 * and a probe file is written in it, then both are removed again (doctor
 * leaves nothing behind). Permissions alone say nothing of a path through a
 * regular file, a read-only file system or a full disk.
 */
async function localStoreChecks(directory: string, project: string): Promise<CheckResult[]> {
  const name = "local store";
  const probe = await probeDirectory(directory);
  if (probe.problem !== undefined) return [{ name, status: "fail", detail: probe.problem, fix: probe.fix }, ...skipped(["project"], "the local store cannot be written")];
  const results: CheckResult[] = [
    {
      name,
      status: "ok",
      detail: probe.existed ? `${directory} is writable (a probe file was written and removed)` : `${directory} can be created and written (checked, then removed again)`,
    },
  ];
  const store = new LocalStore(directory);
  try {
    const found = await store.findProject(project);
    results.push({ name: "project", status: "ok", detail: found ? `"${project}" exists` : `"${project}" does not exist yet; it is created with its first span` });
  } finally {
    await store.close();
  }
  return results;
}

type Probe = { existed: boolean; problem?: undefined } | { problem: string; fix: string };

async function probeDirectory(directory: string): Promise<Probe> {
  const fix = "Choose a directory you can write to: --endpoint file://DIR (or PHOENIX_COLLECTOR_ENDPOINT=file://DIR).";
  let created: string | undefined;
  try {
    created = await mkdir(directory, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const blocker = await nearestNonDirectory(directory);
    if (code === "EEXIST" || code === "ENOTDIR" || blocker !== undefined) {
      return {
        problem:
          blocker === directory || blocker === undefined
            ? `${directory} is a file, not a directory`
            : `${directory} cannot be created: ${blocker} is a file, not a directory`,
        fix,
      };
    }
    return { problem: `${directory} cannot be created (${fsReason(error)})`, fix };
  }
  try {
    const info = await stat(directory);
    if (!info.isDirectory()) return { problem: `${directory} is not a directory`, fix };
    const file = join(directory, `.phoenix-doctor-${process.pid}-${randomUUID()}.tmp`);
    try {
      await writeFile(file, "phoenix-connector doctor probe\n", { flag: "wx" });
    } catch (error) {
      return { problem: `${directory} is not writable (${fsReason(error)})`, fix };
    }
    await unlink(file).catch(() => undefined);
    return { existed: created === undefined };
  } finally {
    if (created !== undefined) await removeCreated(directory, created);
  }
}

/** Removes the directories mkdir created, deepest first; one that someone else has filled meanwhile stays. */
async function removeCreated(directory: string, topmostCreated: string): Promise<void> {
  const depth = relative(topmostCreated, directory).split(sep).filter(Boolean).length;
  let current = directory;
  for (let i = 0; i <= depth; i++) {
    try {
      await rmdir(current);
    } catch {
      return;
    }
    current = dirname(current);
  }
}

/** The path itself or the nearest ancestor that exists and is not a directory (a regular file in the way), if any. */
async function nearestNonDirectory(path: string): Promise<string | undefined> {
  for (let current = path; ; current = dirname(current)) {
    try {
      return (await stat(current)).isDirectory() ? undefined : current;
    } catch {
      if (dirname(current) === current) return undefined;
    }
  }
}

function fsReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case "EACCES":
    case "EPERM":
      return `${code}: permission denied`;
    case "EROFS":
      return "EROFS: the file system is read-only";
    case "ENOSPC":
      return "ENOSPC: no space left on the device";
    case "EDQUOT":
      return "EDQUOT: the disk quota is used up";
    default:
      return code ?? (error as Error).message;
  }
}

function skipped(names: readonly string[], reason: string): CheckResult[] {
  return names.map((name) => ({ name, status: "skip" as const, detail: `not checked: ${reason}` }));
}

/** A network failure in words (src/http/network-error.ts); a refused connection gets the how-to-start-Phoenix fix. */
function networkReading(error: unknown, url: string, timeoutMillis: number): { reason: string; fix: string } {
  const reading = readNetworkError(error, { url, timeoutMillis, connectTimeoutMillis: timeoutMillis });
  return { reason: reading.reason, fix: reading.kind === "refused" ? START_PHOENIX : reading.fix };
}
