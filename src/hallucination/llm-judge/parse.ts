/**
 * Strict reading of the judge's answer. Accepted:
 *   EXPLANATION: ... LABEL: factual|hallucinated      (what the prompt asks for)
 *   LABEL: factual|hallucinated                       (no explanation)
 *   factual | hallucinated                            (Phoenix's one-word form)
 * Markdown emphasis and quotes around the label are tolerated; anything else
 * (no label, another word, two different labels) is an error, because a
 * guessed label would be logged to Phoenix as if the judge had said it.
 */
import { LlmJudgeParseError } from "../errors.js";
import type { HallucinationLabel } from "../types.js";
import { excerptOf } from "./redact.js";

export interface JudgeAnswer {
  readonly label: HallucinationLabel;
  readonly explanation: string;
}

const LABEL_LINE = /^[\s>*_#-]*LABEL[\s*_]*:[\s*_]*["'`]?([^\s"'`*_.!]*)["'`]?[\s*_.!]*$/gim;
const EXPLANATION_MARK = /^[\s>*_#-]*EXPLANATION[\s*_]*:[\s*_]*/im;
const NO_EXPLANATION = "(the judge gave no explanation)";

function asLabel(word: string): HallucinationLabel | undefined {
  const lower = word.toLowerCase();
  return lower === "factual" || lower === "hallucinated" ? lower : undefined;
}

export function parseJudgeAnswer(content: string, redact: (text: string) => string = (t) => t): JudgeAnswer {
  // Reasoning models may prepend their thinking; the answer is what follows it.
  const answer = content.replace(/<think>[\s\S]*?<\/think>/gi, "").trim();
  const fail = (reason: string): never => {
    throw new LlmJudgeParseError(reason, excerptOf(content, redact));
  };
  if (answer === "") return fail("the answer is empty");

  const lines = [...answer.matchAll(LABEL_LINE)];
  if (lines.length === 0) {
    const bare = asLabel(answer.replace(/^["'`*_\s]+|["'`*_.!\s]+$/g, ""));
    if (bare !== undefined) return { label: bare, explanation: NO_EXPLANATION };
    return fail('no "LABEL: factual" or "LABEL: hallucinated" line');
  }
  const labels = lines.map((line) => line[1] ?? "");
  const label = asLabel(labels[labels.length - 1] ?? "");
  if (label === undefined) return fail(`the label ${JSON.stringify(labels[labels.length - 1])} is neither "factual" nor "hallucinated"`);
  if (labels.some((word) => asLabel(word) !== label)) return fail("it gives more than one label");

  // The explanation runs from its marker to the next label line (models sometimes put it after the label);
  // without a marker, it is whatever precedes the label.
  const marker = EXPLANATION_MARK.exec(answer);
  let explanation: string;
  if (marker === null) {
    explanation = answer.slice(0, lines[lines.length - 1]?.index ?? answer.length);
  } else {
    const from = marker.index + marker[0].length;
    const next = lines.find((line) => line.index > from);
    explanation = answer.slice(from, next?.index ?? answer.length);
  }
  explanation = explanation.trim();
  return { label, explanation: explanation === "" ? NO_EXPLANATION : explanation };
}
