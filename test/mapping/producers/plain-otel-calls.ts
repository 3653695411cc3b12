import { SpanKind, type Tracer } from "@opentelemetry/api";

/**
 * Spans as plain OpenTelemetry instrumentation writes them, made with the
 * real SDK but by hand: no vector database or model API is reached. The
 * attribute names follow the database and HTTP semantic conventions (current
 * `db.system.name` and deprecated `db.system`), and OpenLLMetry's vector-DB
 * instrumentations for result events (`db.query.result`).
 */
export async function runPlainOtel(tracer: Tracer): Promise<void> {
  const vectorQueries: Array<[string, Record<string, string | number>]> = [
    ["pinecone.query", { "db.system": "pinecone", "db.operation": "query", "db.vector.query.top_k": 2, "db.query.text": "sunny cities" }],
    ["chroma.query", { "db.system": "chroma", "db.operation": "query", "db.query.text": "sunny cities" }],
    ["qdrant.search", { "db.system.name": "qdrant", "db.operation.name": "search", "db.collection.name": "weather", "db.query.text": "sunny cities" }],
    ["weaviate.nearText", { "db.system": "weaviate", "db.operation.name": "nearText", "db.query.text": "sunny cities" }],
    ["milvus.search", { "db.system": "milvus", "db.operation.name": "search", "db.query.text": "sunny cities" }],
    ["lancedb.search", { "db.system": "lancedb", "db.operation.name": "search", "db.query.text": "sunny cities" }],
    ["pgvector SELECT", { "db.system": "pgvector", "db.query.text": "SELECT id FROM docs ORDER BY embedding <-> $1 LIMIT 2" }],
    ["SELECT docs", { "db.system.name": "postgresql", "db.query.text": "SELECT id, content FROM docs ORDER BY embedding <=> $1 LIMIT 2" }],
    [
      "elasticsearch knn_search",
      { "db.system": "elasticsearch", "db.operation.name": "knn_search", "url.full": "http://127.0.0.1:9200/docs/_knn_search", "db.query.text": '{"knn":{"field":"embedding","k":2}}' },
    ],
  ];
  for (const [name, attributes] of vectorQueries) {
    const span = tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes });
    span.addEvent("db.query.result", { "db.query.result.id": "doc-1", "db.query.result.score": 0.92, "db.query.result.document": "Paris is sunny today." });
    span.addEvent("db.query.result", { "db.query.result.id": "doc-2", "db.query.result.score": 0.41, "db.query.result.document": "London is rainy." });
    span.end();
  }
  // Database calls that are not vector searches stay unrecognised.
  tracer.startSpan("not-retrieval SELECT", { kind: SpanKind.CLIENT, attributes: { "db.system.name": "postgresql", "db.query.text": "SELECT 1" } }).end();
  tracer.startSpan("not-retrieval index", { kind: SpanKind.CLIENT, attributes: { "db.system": "elasticsearch", "db.operation.name": "index" } }).end();

  const http: Array<[string, Record<string, string | number>]> = [
    ["POST", { "http.request.method": "POST", "server.address": "api.openai.com", "server.port": 443, "url.full": "https://api.openai.com/v1/chat/completions" }],
    ["POST embeddings", { "http.request.method": "POST", "server.address": "api.openai.com", "url.full": "https://api.openai.com/v1/embeddings" }],
    ["POST", { "http.method": "POST", "net.peer.name": "api.anthropic.com", "http.url": "https://api.anthropic.com/v1/messages" }],
    ["POST", { "http.request.method": "POST", "url.full": "https://my-resource.openai.azure.com/openai/deployments/gpt-4o/chat/completions" }],
    ["POST", { "http.request.method": "POST", "server.address": "bedrock-runtime.eu-west-1.amazonaws.com", "url.path": "/model/claude/invoke" }],
    ["GET", { "http.request.method": "GET", "server.address": "example.com", "url.full": "https://example.com/" }],
  ];
  for (const [name, attributes] of http) tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes }).end();
}
