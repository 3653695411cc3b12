import { diag } from "@opentelemetry/api";
import { PhoenixConfigurationError } from "../errors.js";
import { Credentials } from "./credentials.js";
import { DEFAULT_ENDPOINT, isLoopbackHost, parseEndpoint, type PhoenixEndpoint } from "./endpoint.js";
import { readPhoenixEnvironment, type PhoenixEnvironment } from "./environment.js";

/** How to reach Phoenix. Every field falls back to its `PHOENIX_*` variable, then to a default. */
export interface PhoenixConnectionOptions {
  /** `http(s)://host:port[/prefix]` or `file://DIR`. Env `PHOENIX_COLLECTOR_ENDPOINT`; default `http://localhost:6006`. */
  endpoint?: string;
  /** Sent as `Authorization: Bearer <key>`. Env `PHOENIX_API_KEY`. */
  apiKey?: string;
  /** Extra request headers. Env `PHOENIX_CLIENT_HEADERS` (a JSON object). */
  headers?: Record<string, string>;
  /** PEM certificate(s) of a private CA to trust for https endpoints (TLS is always verified). */
  ca?: string | Buffer | Array<string | Buffer>;
}

export interface ResolvedConnection {
  endpoint: PhoenixEndpoint;
  credentials: Credentials;
  ca?: string | Buffer | Array<string | Buffer>;
}

/** Resolves `option ?? environment ?? default`. Bad options throw; bad environment values warn and are ignored. */
export function resolveConnection(
  options: PhoenixConnectionOptions,
  env: PhoenixEnvironment = readPhoenixEnvironment(),
): ResolvedConnection {
  let endpoint: PhoenixEndpoint;
  if (options.endpoint !== undefined) {
    endpoint = parseEndpoint(options.endpoint, "option");
  } else if (env.endpoint !== undefined) {
    try {
      endpoint = parseEndpoint(env.endpoint, "environment");
    } catch (error) {
      diag.warn(`phoenix-connector: ${(error as Error).message} Using ${DEFAULT_ENDPOINT}.`);
      endpoint = parseEndpoint(DEFAULT_ENDPOINT, "option");
    }
  } else {
    endpoint = parseEndpoint(DEFAULT_ENDPOINT, "option");
  }
  const fromOptions = options.apiKey !== undefined || options.headers !== undefined;
  const credentials = new Credentials(
    options.apiKey ?? env.apiKey,
    { ...(env.headers ?? {}), ...(options.headers ?? {}) },
    fromOptions ? "option" : "environment",
  );
  warnIfKeyInClear(endpoint, credentials);
  const resolved: ResolvedConnection = { endpoint, credentials };
  if (options.ca !== undefined) resolved.ca = options.ca;
  return resolved;
}

const warnedClear = new Set<string>();
function warnIfKeyInClear(endpoint: PhoenixEndpoint, credentials: Credentials): void {
  if (endpoint.kind !== "http" || !credentials.hasApiKey) return;
  const url = new URL(endpoint.baseUrl);
  if (url.protocol !== "http:" || isLoopbackHost(url.hostname) || warnedClear.has(url.host)) return;
  warnedClear.add(url.host);
  diag.warn(
    `phoenix-connector: an API key will be sent over plain http:// to ${url.host}; anyone on the network path can read it. Use https://.`,
  );
}

/** Phoenix refuses project names with `/`, `?` or `#` in its URL path. */
export function checkProjectName(name: string, source: string): string {
  if (typeof name !== "string" || name.trim() === "") {
    throw new PhoenixConfigurationError(`${source} must be a non-empty project name.`);
  }
  if (/[/?#]/.test(name)) {
    throw new PhoenixConfigurationError(
      `${source} ${JSON.stringify(name)} contains '/', '?' or '#', which Phoenix does not allow in project names. Choose another name.`,
    );
  }
  return name;
}

/** The project name from the options, else PHOENIX_PROJECT / PHOENIX_PROJECT_NAME, else `default`. */
export function resolveDefaultProject(
  option: string | undefined,
  env: PhoenixEnvironment,
): { name: string; explicit: boolean } {
  if (option !== undefined) return { name: checkProjectName(option, "The projectName option"), explicit: true };
  if (env.projectName !== undefined) {
    try {
      return { name: checkProjectName(env.projectName, "PHOENIX_PROJECT"), explicit: false };
    } catch (error) {
      diag.warn(`phoenix-connector: ${(error as Error).message} Using the project "default".`);
    }
  }
  return { name: "default", explicit: false };
}
