export * from "./exporter/index.js";
export * from "./mapping/index.js";
export * from "./errors.js";
export * from "./connector/index.js";
export * from "./store/index.js";
export * from "./hallucination/index.js";
export * from "./privacy/index.js";
export type { PhoenixConnectionOptions } from "./config/phoenix-config.js";
