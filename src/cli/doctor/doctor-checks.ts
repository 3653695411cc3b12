import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
import { dirname } from "node:path";
import { Agent, request } from "undici";
import type { ResolvedConnection } from "../../config/phoenix-config.js";
import { LocalStore } from "../../connector/local-store/local-store.js";

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
  const results: CheckResult[] = [
    {
      name: "configuration",
      status: "ok",
      detail: `endpoint ${endpoint.display} (${options.endpointSource}); API key ${credentials.hasApiKey ? "set" : "not set"}; project "${options.project}"`,
    },
  ];
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
      results.push({ name: "reachable", status: "fail", detail: `no answer from ${endpoint.display}: ${networkReason(error)}`, fix: START_PHOENIX });
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
    results.push({ name: "connection", status: "fail", detail: `lost the connection: ${networkReason(error)}`, fix: START_PHOENIX });
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

async function localStoreChecks(directory: string, project: string): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const existing = await nearestExisting(directory);
  try {
    await access(existing, constants.W_OK);
    results.push({
      name: "local store",
      status: "ok",
      detail: existing === directory ? `${directory} is writable` : `${directory} will be created (in writable ${existing})`,
    });
  } catch {
    results.push({ name: "local store", status: "fail", detail: `${existing} is not writable`, fix: "Choose a directory you can write to: --endpoint file://DIR." });
    return results;
  }
  const store = new LocalStore(directory);
  const found = await store.findProject(project);
  results.push({ name: "project", status: "ok", detail: found ? `"${project}" exists` : `"${project}" does not exist yet; it is created with its first span` });
  await store.close();
  return results;
}

async function nearestExisting(path: string): Promise<string> {
  for (let current = path; ; current = dirname(current)) {
    try {
      await stat(current);
      return current;
    } catch {
      if (dirname(current) === current) return current;
    }
  }
}

function skipped(names: readonly string[], reason: string): CheckResult[] {
  return names.map((name) => ({ name, status: "skip" as const, detail: `not checked: ${reason}` }));
}

function networkReason(error: unknown): string {
  const e = error as { code?: string; cause?: { code?: string }; message?: string };
  const code = e.cause?.code ?? e.code;
  return code ? `${code}${code === "ECONNREFUSED" ? " (nothing listens there)" : ""}` : String(e.message ?? error);
}
