import { resolveConnection, type PhoenixConnectionOptions, type ResolvedConnection } from "../../config/phoenix-config.js";
import { LocalStore } from "../../store/local-store.js";
import { PhoenixRestClient, type PhoenixRestClientOptions } from "../rest/rest-client.js";
import type { PhoenixBackend } from "../../store/backend.js";

export interface OpenBackendOptions extends PhoenixConnectionOptions, PhoenixRestClientOptions {}

/**
 * The back end an endpoint names: Phoenix's REST API for http(s)://, the
 * local store for file://DIR. Options first, then the `PHOENIX_*` variables.
 */
export function openBackend(options: OpenBackendOptions = {}): PhoenixBackend {
  return backendFor(resolveConnection(options), options);
}

export function backendFor(connection: ResolvedConnection, options: PhoenixRestClientOptions = {}): PhoenixBackend {
  return connection.endpoint.kind === "file"
    ? new LocalStore(connection.endpoint.directory)
    : new PhoenixRestClient(connection, options);
}
