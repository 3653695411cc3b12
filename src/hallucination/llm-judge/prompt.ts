/**
 * The judge's prompt. It keeps the meaning of Phoenix's hallucination
 * evaluation template (a query, a reference text and an answer; "hallucinated"
 * when the answer is not based on the reference text or assumes information
 * it does not give, "factual" otherwise; a one-word label) and of its
 * "with explanation" variant (reason step by step first, then the label), so
 * labels logged by this judge mean what Phoenix users expect them to mean.
 */

export const JUDGE_PROMPT_TEMPLATE = `In this task, you will be presented with a query, a reference text and an answer. The answer was generated to the query based on the reference text, and it may contain false information. Use the reference text to determine whether the answer to the query contains false information, that is, whether the answer is a hallucination of facts.

Your objective is to determine whether the answer is factual and not a hallucination. A "hallucinated" answer is one that is not based on the reference text or that assumes information not available in the reference text. A "factual" answer is correct relative to the reference text and contains no made-up information.

    [BEGIN DATA]
    ************
    [Query]: {query}
    ************
    [Reference text]: {reference}
    ************
    [Answer]: {response}
    ************
    [END DATA]

Read the query, the reference text and the answer carefully. Then write out, step by step, an EXPLANATION of how you determine whether the answer is "factual" or "hallucinated"; do not state the label at the start. Finally give the LABEL: a single word, either "factual" or "hallucinated", with no other text or characters.

Reply in exactly this format:
EXPLANATION: <your step-by-step reasoning>
LABEL: <factual or hallucinated>`;

const NO_QUERY = "(no query was given; judge the answer against the reference text alone)";

export function renderJudgePrompt(input: { readonly query: string | undefined; readonly context: string; readonly response: string }): string {
  // One pass over the template, so a placeholder inside the user's text is never substituted again.
  const values: Record<string, string> = {
    query: input.query ?? NO_QUERY,
    reference: input.context,
    response: input.response,
  };
  return JUDGE_PROMPT_TEMPLATE.replace(/\{(query|reference|response)\}/g, (_, key: string) => values[key] ?? "");
}
