/**
 * The demo's data: a handful of documents for the retriever, and questions
 * with their reference answers and the route (retrieve or calculate) a good
 * agent takes for each.
 */
export interface KnowledgeDocument {
  id: string;
  content: string;
}

export interface DemoQuestion {
  question: string;
  /** The exact answer expected. */
  answer: string;
  route: "retrieve" | "calculate";
}

export const DOCUMENTS: readonly KnowledgeDocument[] = [
  { id: "lora-rank", content: "The default LoRA rank in the demo fine-tuning config is 16." },
  { id: "lora-alpha", content: "With that rank the demo config sets the LoRA alpha to 32." },
  { id: "lora-dropout", content: "The LoRA dropout in the demo config is 0.05." },
  { id: "phoenix-port", content: "A local Phoenix server listens by default on port 6006." },
  { id: "batching", content: "The exporter sends spans in export batches of at most 50." },
  { id: "annotations", content: "Phoenix keeps an annotation only once its span is stored, after about 1 second." },
];

export const QUESTIONS: readonly DemoQuestion[] = [
  { question: "What is the default LoRA rank?", answer: "16", route: "retrieve" },
  { question: "Which port does a local Phoenix server listen on by default?", answer: "6006", route: "retrieve" },
  { question: "How many spans fit in one export batch?", answer: "50", route: "retrieve" },
  { question: "What is 16 * 2?", answer: "32", route: "calculate" },
  { question: "What is 6006 + 50?", answer: "6056", route: "calculate" },
  { question: "What is the LoRA dropout in the demo config?", answer: "0.05", route: "retrieve" },
];
