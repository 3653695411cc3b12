import { describe, expect, it } from "vitest";
import { ioAttributes } from "../../src/connector/io-attributes.js";

describe("ioAttributes", () => {
  it("llm: a message list in and out (content parts read as the mapping reads them), model and camelCase usage", () => {
    const out = ioAttributes(
      "llm",
      "chat",
      { messages: [{ role: "system", content: "Be brief." }, { role: "user", content: [{ type: "text", text: "hi" }] }], modelName: "m" },
      { messages: [{ role: "assistant", content: "hello" }], usage: { inputTokens: 7, outputTokens: 2, totalTokens: 9 } },
    );
    expect({ ...out }).toMatchObject({
      "llm.input_messages.0.message.role": "system",
      "llm.input_messages.1.message.content": "hi",
      "llm.output_messages.0.message.content": "hello",
      "llm.model_name": "m",
      "llm.token_count.prompt": 7,
      "llm.token_count.completion": 2,
      "llm.token_count.total": 9,
    });
  });

  it("reranker: query, input and output documents", () => {
    const out = ioAttributes("reranker", "rerank", { query: "q", documents: ["d1", "d2"], topK: 1 }, [{ text: "d2", score: 0.9 }]);
    expect({ ...out }).toMatchObject({
      "reranker.query": "q",
      "reranker.top_k": 1,
      "reranker.input_documents.1.document.content": "d2",
      "reranker.output_documents.0.document.content": "d2",
      "reranker.output_documents.0.document.score": 0.9,
    });
  });

  it("embedding: one vector for one text; a vector with NaN is left out (it means nothing)", () => {
    expect({ ...ioAttributes("embedding", "e", { text: "a", model: "emb" }, { embedding: [1, 2] }) }).toMatchObject({
      "embedding.model_name": "emb",
      "embedding.embeddings.0.embedding.text": "a",
      "embedding.embeddings.0.embedding.vector": [1, 2],
    });
    expect(ioAttributes("embedding", "e", "a", [Number.NaN, 1])["embedding.embeddings.0.embedding.vector"]).toBeUndefined();
  });

  it("structured values become JSON text with their mime type; no value is an object", () => {
    const out = ioAttributes("chain", "c", { a: { b: 1 } }, [1, 2]);
    expect({ ...out }).toEqual({
      "input.value": '{"a":{"b":1}}',
      "input.mime_type": "application/json",
      "output.value": "[1,2]",
      "output.mime_type": "application/json",
    });
    for (const value of Object.values(ioAttributes("retriever", "r", { q: 1 }, { documents: [{ content: "x", metadata: { k: "v" } }] }))) {
      expect(typeof value === "object" && !Array.isArray(value)).toBe(false);
    }
  });

  it("a hostile value keeps its input.value and loses only the detail", () => {
    const documents = [
      {
        get content(): string {
          throw new Error("boom");
        },
      },
    ];
    const out = ioAttributes("retriever", "r", "q", { documents });
    expect({ ...out }).toEqual({ "input.value": "q", "input.mime_type": "text/plain", "output.value": "[object Object]", "output.mime_type": "application/json" });
  });
});
