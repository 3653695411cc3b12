import { LLMProvider, LLMSystem } from "@arizeai/openinference-semantic-conventions";

/** OpenInference's `llm.provider` (who serves the model) and `llm.system` (whose API it is). */
export interface ProviderNames {
  provider: string;
  system?: string;
}

/**
 * GenAI `gen_ai.provider.name` / `gen_ai.system` values (current and
 * deprecated), Vercel AI SDK provider ids and OpenLLMetry's capitalised names,
 * to OpenInference names. Looked up lower-cased, then by the part before the
 * first dot (the AI SDK writes `openai.chat`, `anthropic.messages`).
 */
const PROVIDERS: ReadonlyMap<string, ProviderNames> = new Map<string, ProviderNames>([
  ["openai", { provider: LLMProvider.OPENAI, system: LLMSystem.OPENAI }],
  ["anthropic", { provider: LLMProvider.ANTHROPIC, system: LLMSystem.ANTHROPIC }],
  ["aws.bedrock", { provider: LLMProvider.AWS }],
  ["amazon-bedrock", { provider: LLMProvider.AWS }],
  ["bedrock", { provider: LLMProvider.AWS }],
  ["azure.ai.openai", { provider: LLMProvider.AZURE, system: LLMSystem.OPENAI }],
  ["az.ai.openai", { provider: LLMProvider.AZURE, system: LLMSystem.OPENAI }],
  ["azure.ai.inference", { provider: LLMProvider.AZURE }],
  ["az.ai.inference", { provider: LLMProvider.AZURE }],
  ["azure", { provider: LLMProvider.AZURE, system: LLMSystem.OPENAI }],
  ["gcp.gemini", { provider: LLMProvider.GOOGLE, system: LLMSystem.VERTEXAI }],
  ["gcp.vertex_ai", { provider: LLMProvider.GOOGLE, system: LLMSystem.VERTEXAI }],
  ["gcp.gen_ai", { provider: LLMProvider.GOOGLE, system: LLMSystem.VERTEXAI }],
  ["vertex_ai", { provider: LLMProvider.GOOGLE, system: LLMSystem.VERTEXAI }],
  ["vertexai", { provider: LLMProvider.GOOGLE, system: LLMSystem.VERTEXAI }],
  ["gemini", { provider: LLMProvider.GOOGLE, system: LLMSystem.VERTEXAI }],
  ["google", { provider: LLMProvider.GOOGLE, system: LLMSystem.VERTEXAI }],
  ["google-vertex", { provider: LLMProvider.GOOGLE, system: LLMSystem.VERTEXAI }],
  ["mistral_ai", { provider: LLMProvider.MISTRALAI, system: LLMSystem.MISTRALAI }],
  ["mistralai", { provider: LLMProvider.MISTRALAI, system: LLMSystem.MISTRALAI }],
  ["mistral", { provider: LLMProvider.MISTRALAI, system: LLMSystem.MISTRALAI }],
  ["cohere", { provider: LLMProvider.COHERE, system: LLMSystem.COHERE }],
  ["x_ai", { provider: LLMProvider.XAI }],
  ["xai", { provider: LLMProvider.XAI }],
  ["deepseek", { provider: LLMProvider.DEEPSEEK }],
]);

export function providerNames(raw: unknown): ProviderNames | undefined {
  if (typeof raw !== "string" || raw === "") return undefined;
  const lower = raw.toLowerCase();
  const known = PROVIDERS.get(lower);
  if (known) return known;
  const dot = lower.indexOf(".");
  const byPrefix = dot > 0 ? PROVIDERS.get(lower.slice(0, dot)) : undefined;
  return byPrefix ?? { provider: lower };
}

/**
 * Hosts of well-known model APIs, for plain HTTP client spans (no LLM
 * instrumentation, only `@opentelemetry/instrumentation-http` or undici).
 */
const MODEL_API_HOSTS: ReadonlyMap<string, string> = new Map([
  ["api.openai.com", "openai"],
  ["api.anthropic.com", "anthropic"],
  ["generativelanguage.googleapis.com", "google"],
  ["aiplatform.googleapis.com", "google"],
  ["api.mistral.ai", "mistral_ai"],
  ["api.cohere.com", "cohere"],
  ["api.cohere.ai", "cohere"],
  ["api.groq.com", "groq"],
  ["api.x.ai", "x_ai"],
  ["api.deepseek.com", "deepseek"],
  ["api.together.xyz", "together"],
  ["api.together.ai", "together"],
  ["api.perplexity.ai", "perplexity"],
  ["api.fireworks.ai", "fireworks"],
  ["openrouter.ai", "openrouter"],
]);

/** Suffixes for hosts with a per-customer or per-region part. */
const MODEL_API_HOST_SUFFIXES: ReadonlyArray<readonly [string, string]> = [
  [".openai.azure.com", "azure.ai.openai"],
  [".services.ai.azure.com", "azure.ai.inference"],
  ["-aiplatform.googleapis.com", "gcp.vertex_ai"],
];

/** The GenAI provider name of a model API host, or undefined for any other host. */
export function modelApiProvider(host: string): string | undefined {
  const lower = host.toLowerCase();
  const exact = MODEL_API_HOSTS.get(lower);
  if (exact) return exact;
  for (const [suffix, provider] of MODEL_API_HOST_SUFFIXES) if (lower.endsWith(suffix)) return provider;
  // bedrock-runtime.<region>.amazonaws.com
  if (lower.startsWith("bedrock-runtime.") && lower.endsWith(".amazonaws.com")) return "aws.bedrock";
  return undefined;
}
