export {
  resolveConnection,
  checkProjectName,
  checkCa,
  resolveDefaultProject,
  CONNECTION_OPTION_NAMES,
  type PhoenixConnectionOptions,
  type ResolvedConnection,
} from "./phoenix-config.js";
export { parseEndpoint, isLoopbackHost, DEFAULT_ENDPOINT, type PhoenixEndpoint } from "./endpoint.js";
export { Credentials } from "./credentials.js";
export { readPhoenixEnvironment, readBatchEnvironment, type PhoenixEnvironment, type BatchEnvironment } from "./environment.js";
export { checkKnownOptions, closestName, editDistance, optionNames } from "./known-options.js";
export { CONFIG_WARNING, warnAboutProblem, type EnvironmentProblem, type ProblemReporter } from "./config-warnings.js";
export { environmentProblems } from "./environment-problems.js";
