import { X509Certificate } from "node:crypto";
import { diag } from "@opentelemetry/api";
import { PhoenixConfigurationError } from "../errors.js";
import { warnAboutProblem, type EnvironmentProblem, type ProblemReporter } from "./config-warnings.js";
import { Credentials } from "./credentials.js";
import { DEFAULT_ENDPOINT, isLoopbackHost, parseEndpoint, type PhoenixEndpoint } from "./endpoint.js";
import { readPhoenixEnvironment, type PhoenixEnvironment } from "./environment.js";
import { optionNames } from "./known-options.js";

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

/** The names of {@link PhoenixConnectionOptions}, for `checkKnownOptions`. */
export const CONNECTION_OPTION_NAMES = optionNames<PhoenixConnectionOptions>({ endpoint: true, apiKey: true, headers: true, ca: true });

export interface ResolvedConnection {
  endpoint: PhoenixEndpoint;
  credentials: Credentials;
  ca?: string | Buffer | Array<string | Buffer>;
}

/**
 * Resolves `option ?? environment ?? default`. Bad options throw; a bad
 * environment value is reported (by default: diag, and once a process
 * warning) and the default is used instead.
 */
export function resolveConnection(
  options: PhoenixConnectionOptions,
  env: PhoenixEnvironment = readPhoenixEnvironment(),
  report: ProblemReporter = warnAboutProblem,
): ResolvedConnection {
  let endpoint: PhoenixEndpoint;
  if (options.endpoint !== undefined) {
    endpoint = parseEndpoint(options.endpoint, "option");
  } else if (env.endpoint !== undefined) {
    const problem = environmentEndpointProblem(env.endpoint);
    if (problem === undefined) {
      endpoint = parseEndpoint(env.endpoint, "environment");
    } else {
      report(problem);
      endpoint = parseEndpoint(DEFAULT_ENDPOINT, "option");
    }
  } else {
    endpoint = parseEndpoint(DEFAULT_ENDPOINT, "option");
  }
  if (options.ca !== undefined) checkCa(options.ca);
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

/** The project name from the options, else PHOENIX_PROJECT / PHOENIX_PROJECT_NAME (reported and ignored when unusable), else `default`. */
export function resolveDefaultProject(
  option: string | undefined,
  env: PhoenixEnvironment,
  report: ProblemReporter = warnAboutProblem,
): { name: string; explicit: boolean } {
  if (option !== undefined) return { name: checkProjectName(option, "The projectName option"), explicit: true };
  if (env.projectName !== undefined) {
    const problem = environmentProjectProblem(env);
    if (problem === undefined) return { name: env.projectName, explicit: false };
    report(problem);
  }
  return { name: "default", explicit: false };
}

/** What is wrong with PHOENIX_COLLECTOR_ENDPOINT's value, if anything. */
export function environmentEndpointProblem(raw: string): EnvironmentProblem | undefined {
  try {
    parseEndpoint(raw, "environment");
    return undefined;
  } catch (error) {
    return {
      variable: "PHOENIX_COLLECTOR_ENDPOINT",
      severity: "unusable",
      // parseEndpoint's "Use e.g. …" is said by the fix below.
      problem: (error as Error).message.replace(/ Use e\.g\. .*$/, ""),
      instead: `the default ${DEFAULT_ENDPOINT}`,
      fix: "Set PHOENIX_COLLECTOR_ENDPOINT to Phoenix's base URL (e.g. http://localhost:6006) or to file://DIR, or unset it.",
    };
  }
}

/** What is wrong with PHOENIX_PROJECT's (or PHOENIX_PROJECT_NAME's) value, if anything. */
export function environmentProjectProblem(env: PhoenixEnvironment): EnvironmentProblem | undefined {
  if (env.projectName === undefined) return undefined;
  const variable = env.projectVariable ?? "PHOENIX_PROJECT";
  try {
    checkProjectName(env.projectName, variable);
    return undefined;
  } catch (error) {
    return {
      variable,
      severity: "unusable",
      problem: (error as Error).message.replace(/ Choose another name\.$/, ""),
      instead: 'the project "default"',
      fix: `Set ${variable} to a name without '/', '?' or '#', or unset it.`,
    };
  }
}

/**
 * The `ca` option must hold PEM certificates a TLS client can use; refused
 * here, where it was written, rather than as a confusing handshake failure later.
 *
 * @throws PhoenixConfigurationError
 */
export function checkCa(ca: unknown): void {
  const items = Array.isArray(ca) ? ca : [ca];
  if (items.length === 0) throw new PhoenixConfigurationError("The ca option is an empty array; pass the PEM certificate(s) of the CA, or leave it out.");
  items.forEach((item, index) => {
    const which = items.length === 1 ? "The ca option" : `Item ${index} of the ca option`;
    if (typeof item !== "string" && !(item instanceof Uint8Array)) {
      throw new PhoenixConfigurationError(`${which} must be PEM text or a Buffer of it (e.g. readFileSync("ca.pem")), not ${item === null ? "null" : typeof item}.`);
    }
    const text = typeof item === "string" ? item : Buffer.from(item.buffer, item.byteOffset, item.byteLength).toString("utf8");
    const blocks = text.match(/-----BEGIN (?:TRUSTED |X509 )?CERTIFICATE-----[\s\S]*?-----END (?:TRUSTED |X509 )?CERTIFICATE-----/g) ?? [];
    if (blocks.length === 0) {
      const trimmed = text.trim();
      if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(trimmed)) {
        throw new PhoenixConfigurationError(`${which} holds a private key, not a certificate: pass the CA's certificate (a -----BEGIN CERTIFICATE----- block).`);
      }
      if (trimmed !== "" && !/[\r\n]/.test(trimmed) && /\.(pem|crt|cer|ca-bundle)$|^[./~]|[\\/]/i.test(trimmed) && trimmed.length < 4096) {
        throw new PhoenixConfigurationError(
          `${which} looks like a file path (${JSON.stringify(trimmed.slice(0, 200))}), not a certificate: pass the file's contents, e.g. ca: readFileSync(path).`,
        );
      }
      throw new PhoenixConfigurationError(
        `${which} is not a PEM certificate (no -----BEGIN CERTIFICATE----- block found). Pass the CA's certificate in PEM form, e.g. ca: readFileSync("ca.pem").`,
      );
    }
    blocks.forEach((block, n) => {
      try {
        new X509Certificate(block);
      } catch (error) {
        throw new PhoenixConfigurationError(
          `${which}: certificate ${n + 1} of ${blocks.length} cannot be read (${(error as Error).message}). Pass the CA's certificate in PEM form, unchanged.`,
        );
      }
    });
  });
}
