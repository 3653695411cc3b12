/**
 * What the question contributes to grounding: the words a wh-question
 * supplies (an answer may restate them: "Who wrote X?" → "Y wrote X"), the
 * words it writes in lower case, the comparison it asks for, if any, and
 * what its form says the answer must give.
 */
import { parseComparison, type ComparisonQuestion } from "./comparison.js";
import { readAskedFor, type AskedFor } from "./question-kinds.js";
import { tokenize } from "./tokens.js";
import { buildVocabulary, type Vocabulary } from "./vocabulary.js";

export interface QueryFacts {
  /** The question's words, when the question presupposes them (a wh-question). */
  readonly premise: Vocabulary | undefined;
  readonly lowercaseNorms: ReadonlySet<string>;
  readonly comparison: ComparisonQuestion | undefined;
  /** What the question's form says the answer must give (a count, a year, a person, yes or no ...). */
  readonly asked: AskedFor | undefined;
  /** Stems of every word of the question. */
  readonly stems: ReadonlySet<string>;
}

const YES_NO_QUESTION = /^\s*(?:is|are|was|were|do|does|did|has|have|had|can|could|will|would|should|may|might|must|shall)\b/i;

export function readQuery(query: string | undefined): QueryFacts | undefined {
  if (query === undefined || query.trim() === "") return undefined;
  const tokens = tokenize(query);
  const lowercaseNorms = new Set<string>();
  for (const t of tokens) if (!t.capitalized && !t.numeric) lowercaseNorms.add(t.norm);
  // A yes/no question asserts nothing: repeating its words is not grounding.
  const premise = YES_NO_QUESTION.test(query) ? undefined : buildVocabulary(tokens);
  return {
    premise,
    lowercaseNorms,
    comparison: parseComparison(query),
    asked: readAskedFor(query),
    stems: new Set(tokens.map((t) => t.stem)),
  };
}
