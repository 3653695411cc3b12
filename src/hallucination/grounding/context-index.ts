/**
 * Everything the detector needs to know about the context, computed once per
 * context: its vocabulary, its sentences and clauses (with negation), its
 * named things and its quantities.
 */
import { findEntities, type EntityMention } from "./entities.js";
import { NEGATORS } from "./negation.js";
import { readQuantities, valueKey, type DateQuantity, type Quantity } from "./quantities.js";
import { splitClauses, splitSentences, type Span } from "./sentences.js";
import { tokenize, type Token } from "./tokens.js";
import { buildVocabulary, type Vocabulary } from "./vocabulary.js";

export interface ContextClause {
  readonly text: string;
  readonly stems: ReadonlySet<string>;
  readonly negated: boolean;
}

export interface ContextSentence {
  readonly text: string;
  /** Token index range [first, last). */
  readonly first: number;
  readonly last: number;
  readonly stems: ReadonlySet<string>;
  /** Stems and synonym groups of the sentence alone. */
  readonly vocabulary: Vocabulary;
  /**
   * Stems of the names this sentence is about: its own, plus, when it opens
   * with a pronoun or "the company ...", the first name of the sentence before.
   */
  readonly subjectStems: ReadonlySet<string>;
  readonly quantities: readonly Quantity[];
  readonly clauses: readonly ContextClause[];
}

export interface ContextIndex {
  readonly text: string;
  readonly tokens: readonly Token[];
  readonly vocabulary: Vocabulary;
  /** Words the context writes in lower case: ordinary words, not names. */
  readonly lowercaseNorms: ReadonlySet<string>;
  readonly sentences: readonly ContextSentence[];
  readonly entities: readonly EntityMention[];
  /** Initials of multi-word names ("nfl" for "National Football League") and acronyms as written. */
  readonly acronyms: ReadonlySet<string>;
  readonly quantities: readonly Quantity[];
  /** Numeric value key → units seen with it ("" for none). */
  readonly numbers: ReadonlyMap<string, ReadonlySet<string>>;
  /** Every figure with its unit ("" for none) and its text as written ("6.213 km"). */
  readonly numberValues: readonly { readonly value: number; readonly unit: string; readonly text: string }[];
  readonly dates: readonly DateQuantity[];
  readonly years: ReadonlySet<number>;
  readonly ordinals: ReadonlySet<string>;
  readonly decades: ReadonlySet<number>;
}

const PRONOUNS = new Set(["he", "she", "it", "they", "his", "her", "its", "their", "this", "these", "him", "them"]);

function sentenceStartsOf(tokens: readonly Token[], spans: readonly Span[]): Set<number> {
  const starts = new Set<number>();
  let index = 0;
  for (const span of spans) {
    while (index < tokens.length && (tokens[index]?.start ?? Infinity) < span.start) index++;
    starts.add(index);
  }
  return starts;
}

function tokenRange(tokens: readonly Token[], span: Span, from: number): { first: number; last: number } {
  let first = from;
  while (first < tokens.length && (tokens[first]?.start ?? Infinity) < span.start) first++;
  let last = first;
  while (last < tokens.length && (tokens[last]?.end ?? Infinity) <= span.end) last++;
  return { first, last };
}

export function indexContext(text: string): ContextIndex {
  const tokens = tokenize(text);
  const vocabulary = buildVocabulary(tokens);
  const lowercaseNorms = new Set<string>();
  for (const token of tokens) if (!token.capitalized && !token.numeric) lowercaseNorms.add(token.norm);

  const sentenceSpans = splitSentences(text);
  const sentenceStarts = sentenceStartsOf(tokens, sentenceSpans);
  // A lone capitalised sentence opener is taken for a name only when the text capitalises it elsewhere too
  // ("Curie won ..." after "Marie Curie"), not "Construction was ..." or "Together with ...".
  const capitalizedElsewhere = new Set<string>();
  tokens.forEach((token, index) => {
    if (token.capitalized && !sentenceStarts.has(index)) capitalizedElsewhere.add(token.norm);
  });
  const quantities = readQuantities(tokens, text);
  // "November" in "7 November 1867" is part of a date, not a name.
  const inDate = new Uint8Array(tokens.length);
  for (const q of quantities) if (q.kind === "date") for (let i = q.first; i < q.last; i++) inDate[i] = 1;
  const entities = findEntities(tokens, text, {
    sentenceStarts,
    openerIsName: (norm) => capitalizedElsewhere.has(norm),
  }).filter((entity) => inDate.subarray(entity.first, entity.last).includes(0));

  const acronyms = new Set<string>();
  for (const entity of entities) {
    if (entity.keyTokens.length >= 2) acronyms.add(entity.keyTokens.map((t) => t.norm.charAt(0)).join(""));
    for (const token of entity.keyTokens) if (token.allCaps) acronyms.add(token.norm);
  }

  // A "Not" inside a name ("Not Ready for Prime Time Players") negates nothing.
  const inName = new Uint8Array(tokens.length);
  for (const entity of entities) for (let i = entity.first; i < entity.last; i++) inName[i] = 1;

  const sentences: ContextSentence[] = [];
  let from = 0;
  let previousFirstName: readonly string[] = [];
  // Names and quantities are in text order: walk them alongside the sentences.
  let nextEntity = 0;
  let nextQuantity = 0;
  /** Multi-word names seen so far, by the stem of their last word ("tower" → "Eiffel Tower"). */
  const namesByHead = new Map<string, EntityMention>();
  for (const span of sentenceSpans) {
    const { first, last } = tokenRange(tokens, span, from);
    from = last;
    const own = tokens.slice(first, last);
    // Per-sentence word sets serve the relation checks only: build them on first use.
    let vocabulary: Vocabulary | undefined;
    const subjects = new Set<string>();
    while (nextEntity < entities.length && (entities[nextEntity]?.first ?? Infinity) < first) nextEntity++;
    const ownNames: EntityMention[] = [];
    for (let e = nextEntity; e < entities.length && (entities[e]?.first ?? Infinity) < last; e++) {
      const entity = entities[e];
      if (entity !== undefined && entity.last <= last) ownNames.push(entity);
    }
    while (nextQuantity < quantities.length && (quantities[nextQuantity]?.first ?? Infinity) < first) nextQuantity++;
    const ownQuantities: Quantity[] = [];
    for (let q = nextQuantity; q < quantities.length && (quantities[q]?.first ?? Infinity) < last; q++) {
      const quantity = quantities[q];
      if (quantity !== undefined) ownQuantities.push(quantity);
    }
    for (const entity of ownNames) for (const t of entity.keyTokens) subjects.add(t.stem);
    // "She formed Hole in 1989." / "The company was founded in 1934." is still about the name before.
    const opening = own.slice(0, 6);
    const firstNameAt = ownNames[0]?.first ?? last;
    const refersBack = opening.some(
      (t, k) =>
        first + k < firstNameAt &&
        (PRONOUNS.has(t.norm) || (t.norm === "the" && own[k + 1] !== undefined && !(own[k + 1]?.capitalized ?? true))),
    );
    if (refersBack) for (const s of previousFirstName) subjects.add(s);
    // "the tower" refers to the "Eiffel Tower" named earlier.
    own.forEach((token, k) => {
      if (token.norm !== "the") return;
      const noun = own[k + 1];
      if (noun === undefined || noun.capitalized) return;
      const named = namesByHead.get(noun.stem);
      if (named !== undefined) for (const t of named.keyTokens) subjects.add(t.stem);
    });
    for (const entity of ownNames) {
      const head = entity.keyTokens[entity.keyTokens.length - 1];
      if (entity.keyTokens.length > 1 && head !== undefined && !namesByHead.has(head.stem)) namesByHead.set(head.stem, entity);
    }

    // Clauses only matter to the negation check: build them on first use.
    let clauses: ContextClause[] | undefined;
    const buildClauses = (): ContextClause[] =>
      splitClauses(text, span).map((clause): ContextClause => {
        const range = tokenRange(tokens, clause, first);
        const clauseTokens = tokens.slice(range.first, range.last);
        return {
          text: text.slice(clause.start, clause.end),
          stems: new Set(clauseTokens.map((t) => t.stem)),
          negated: clauseTokens.some(
            (t, k) => NEGATORS.has(t.norm) && inName[range.first + k] !== 1 && !(t.norm === "not" && clauseTokens[k + 1]?.norm === "only"),
          ),
        };
      });
    sentences.push({
      text: text.slice(span.start, span.end),
      first,
      last,
      get vocabulary() {
        vocabulary ??= buildVocabulary(own, false);
        return vocabulary;
      },
      get stems() {
        return this.vocabulary.stems;
      },
      subjectStems: subjects,
      quantities: ownQuantities,
      get clauses() {
        clauses ??= buildClauses();
        return clauses;
      },
    });
    // After "It is named after Gustave Eiffel", "It" (the tower) is still the subject, not Gustave Eiffel.
    const firstName = ownNames[0]?.keyTokens.map((t) => t.stem);
    previousFirstName = refersBack ? previousFirstName : (firstName ?? []);
  }

  const numbers = new Map<string, Set<string>>();
  const numberValues: { value: number; unit: string; text: string }[] = [];
  const dates: DateQuantity[] = [];
  const years = new Set<number>();
  const ordinals = new Set<string>();
  const decades = new Set<number>();
  const textOf = (quantity: Quantity): string =>
    text.slice(tokens[quantity.first]?.start ?? 0, tokens[quantity.last - 1]?.end ?? 0);
  const addNumber = (value: number, unit: string, written: string): void => {
    const key = valueKey(value);
    const units = numbers.get(key);
    if (units === undefined) numbers.set(key, new Set([unit]));
    else units.add(unit);
    numberValues.push({ value, unit, text: written });
  };
  for (const quantity of quantities) {
    switch (quantity.kind) {
      case "number":
        addNumber(quantity.value, quantity.unit ?? "", textOf(quantity));
        if (Number.isInteger(quantity.value) && quantity.value >= 1000 && quantity.value <= 2199) years.add(quantity.value);
        break;
      case "date":
        dates.push(quantity);
        if (quantity.year !== undefined) {
          years.add(quantity.year);
          addNumber(quantity.year, "", String(quantity.year));
        }
        break;
      case "ordinal":
        ordinals.add(`${quantity.value}|${quantity.unit ?? ""}`);
        ordinals.add(`${quantity.value}|`);
        break;
      case "decade":
        decades.add(quantity.value);
        break;
    }
  }

  return {
    text,
    tokens,
    vocabulary,
    lowercaseNorms,
    sentences,
    entities,
    acronyms,
    quantities,
    numbers,
    numberValues,
    dates,
    years,
    ordinals,
    decades,
  };
}
