import { SemanticConventions as OI } from "@arizeai/openinference-semantic-conventions";
import { SpanKind, type Attributes } from "@opentelemetry/api";
import { modelApiProvider, providerNames } from "../llm-providers.js";
import { setIfAbsent, setInput, writeDocuments, type DocumentLike } from "../openinference-writer.js";
import type { PhoenixAttributes, PhoenixSpanKind } from "../phoenix-span.js";
import { Found, type SpanFacts } from "./convention.js";

/**
 * Plain OpenTelemetry spans, without any LLM convention: a vector-database
 * client call is a RETRIEVER, an HTTP client call to a well-known model API
 * host is an LLM (EMBEDDING for an embeddings path).
 */
const VECTOR_DATABASES: ReadonlySet<string> = new Set([
  "pinecone",
  "chroma",
  "chromadb",
  "qdrant",
  "weaviate",
  "milvus",
  "pgvector",
  "lancedb",
]);

/** pgvector's distance operators: a PostgreSQL query with one is a vector search. */
const PGVECTOR_OPERATORS = /<->|<=>|<#>|<\+>/;

function dbSystem(a: Attributes): string | undefined {
  const system = a["db.system.name"] ?? a["db.system"];
  return typeof system === "string" ? system.toLowerCase() : undefined;
}

function queryText(a: Attributes): string | undefined {
  const text = a["db.query.text"] ?? a["db.statement"];
  return typeof text === "string" ? text : undefined;
}

function isVectorSearch(a: Attributes): boolean {
  const system = dbSystem(a);
  if (system === undefined) return false;
  if (VECTOR_DATABASES.has(system)) return true;
  if (system === "elasticsearch" || system === "opensearch") {
    // Only a k-NN search is retrieval; indexing and plain queries are not.
    const operation = String(a["db.operation.name"] ?? a["db.operation"] ?? "").toLowerCase();
    const path = String(a["url.full"] ?? a["http.url"] ?? "");
    return operation.includes("knn") || path.includes("_knn_search") || /"knn"\s*:/.test(queryText(a) ?? "");
  }
  if (system === "postgresql") return PGVECTOR_OPERATORS.test(queryText(a) ?? "");
  return false;
}

export function vectorDbKind(span: SpanFacts): PhoenixSpanKind | undefined {
  return isVectorSearch(span.attributes) ? "RETRIEVER" : undefined;
}

function hostOf(a: Attributes): string | undefined {
  const host = a["server.address"] ?? a["net.peer.name"] ?? a["http.host"];
  if (typeof host === "string") return host;
  const url = a["url.full"] ?? a["http.url"];
  if (typeof url !== "string") return undefined;
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}

function pathOf(a: Attributes): string {
  const path = a["url.path"] ?? a["http.target"] ?? a["url.full"] ?? a["http.url"];
  return typeof path === "string" ? path : "";
}

export function modelApiKind(span: SpanFacts): PhoenixSpanKind | undefined {
  if (span.otelKind !== SpanKind.CLIENT) return undefined;
  const host = hostOf(span.attributes);
  if (host === undefined || modelApiProvider(host) === undefined) return undefined;
  return /embed/i.test(pathOf(span.attributes)) ? "EMBEDDING" : "LLM";
}

export function mapPlainOtel(span: SpanFacts, kind: PhoenixSpanKind, out: PhoenixAttributes): void {
  const a = span.attributes;
  if (kind === "RETRIEVER" && isVectorSearch(a)) {
    setInput(out, queryText(a));
    if (!(span.found & Found.OI_DOCUMENTS)) {
      const documents = resultEvents(span);
      if (documents.length > 0) writeDocuments(out, documents);
    }
  } else if ((kind === "LLM" || kind === "EMBEDDING") && span.otelKind === SpanKind.CLIENT) {
    const host = hostOf(a);
    const names = host === undefined ? undefined : providerNames(modelApiProvider(host));
    if (names) {
      setIfAbsent(out, OI.LLM_PROVIDER, names.provider);
      setIfAbsent(out, OI.LLM_SYSTEM, names.system);
    }
  }
}

/**
 * Results as OpenLLMetry's vector-database instrumentations record them: one
 * `db.query.result` event per match, with `db.query.result.{id,score,document,metadata}`.
 */
function resultEvents(span: SpanFacts): DocumentLike[] {
  const documents: DocumentLike[] = [];
  for (const event of span.events) {
    if (event.name !== "db.query.result" || !event.attributes) continue;
    const e = event.attributes;
    documents.push({
      id: e["db.query.result.id"],
      content: e["db.query.result.document"],
      score: e["db.query.result.score"],
      metadata: e["db.query.result.metadata"],
    });
  }
  return documents;
}
