/**
 * Every name of the response must be in the context, whole. A name the
 * context grounds becomes a node for the relation checks.
 */
import type { ResponseText } from "./claims.js";
import type { ContextIndex } from "./context-index.js";
import type { PlacedNode } from "./cooccurrence.js";
import { findEntities, type EntityMention } from "./entities.js";
import { checkEntity } from "./entity-check.js";
import { STRENGTH, quote, type CheckedPart, type Finding } from "./findings.js";
import { LIGHT_WORDS } from "./function-words.js";
import type { QueryFacts } from "./query-facts.js";
import { stem } from "./stem.js";
import { mentions } from "./vocabulary.js";

export interface NameFindings {
  readonly findings: readonly Finding[];
  readonly parts: readonly CheckedPart[];
  readonly nodes: readonly PlacedNode[];
  /** 1 for tokens inside names (a "Not" there negates nothing). */
  readonly inName: Uint8Array;
  /** 1 for tokens judged here or as part of a figure. */
  readonly covered: Uint8Array;
  /** Every name of the response, grounded or not. */
  readonly entities: readonly EntityMention[];
}

/** @param figures tokens already judged as part of a figure ("March" in "March 2, 1991") */
export function checkNames(
  response: ResponseText,
  context: ContextIndex,
  query: QueryFacts | undefined,
  figures: Uint8Array,
): NameFindings {
  const { tokens, text } = response;
  const entities = findEntities(tokens, text, {
    sentenceStarts: response.sentenceStarts,
    // An opener is an ordinary word when the context or question writes it in lower case, or it only frames ("According ...").
    openerIsName: (norm) =>
      !context.lowercaseNorms.has(norm) && !(query?.lowercaseNorms.has(norm) ?? false) && !LIGHT_WORDS.has(stem(norm)),
  });
  const inName = new Uint8Array(tokens.length);
  for (const entity of entities) inName.fill(1, entity.first, entity.last);
  const covered = Uint8Array.from(figures);
  const findings: Finding[] = [];
  const parts: CheckedPart[] = [];
  const nodes: PlacedNode[] = [];

  for (const entity of entities) {
    if (!figures.subarray(entity.first, entity.last).includes(0)) continue;
    covered.fill(1, entity.first, entity.last);
    const check = checkEntity(entity, context, query?.premise);
    parts.push({ at: entity.first, grounded: check.grounded });
    if (check.grounded) {
      const stems = entity.keyTokens.map((t) => t.stem).filter((s) => mentions(context.vocabulary, s));
      // A name only the question supplies has no place in the context to be related from.
      if (stems.length > 0) {
        nodes.push({
          text: entity.text,
          inSentence: (sentence) => stems.every((s) => mentions(sentence.vocabulary, s) || sentence.subjectStems.has(s)),
          first: entity.first,
          last: entity.last,
          entity,
        });
      }
      continue;
    }
    findings.push({
      kind: "entity",
      text: entity.text,
      reason:
        check.similar.length > 0
          ? `${quote(entity.text)} is not in the context (it names ${check.similar.join(", ")})`
          : `${quote(entity.text)} is not in the context`,
      strength: STRENGTH.entity,
      start: entity.start,
    });
  }
  return { findings, parts, nodes, inName, covered, entities };
}
