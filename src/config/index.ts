export { resolveConnection, checkProjectName, resolveDefaultProject, type PhoenixConnectionOptions, type ResolvedConnection } from "./phoenix-config.js";
export { parseEndpoint, isLoopbackHost, DEFAULT_ENDPOINT, type PhoenixEndpoint } from "./endpoint.js";
export { Credentials } from "./credentials.js";
export { readPhoenixEnvironment, readBatchEnvironment, type PhoenixEnvironment, type BatchEnvironment } from "./environment.js";
