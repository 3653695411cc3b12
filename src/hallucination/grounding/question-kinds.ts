/**
 * What a question asks for, when its form says so: a count ("how many"), a
 * year ("what year", "when"), a town-sized place ("what city", "county
 * seat"), a person ("who directed ..."), whether two things are both
 * something ("Are A and B both American?"), or whether they share something
 * ("Do A and B have the same nationality?"), or which of two candidates
 * fits ("Which species, A or B, is native to South America?").
 */
import { stem } from "./stem.js";
import { nationalityOf } from "./synonyms.js";

export type AskedFor =
  | { readonly kind: "count" }
  | { readonly kind: "year" }
  | { readonly kind: "town"; readonly unit: string }
  | { readonly kind: "person" }
  | { readonly kind: "both"; readonly options: readonly [string, string]; readonly attribute: string }
  | { readonly kind: "same"; readonly options: readonly [string, string]; readonly attribute: string }
  /** "Which species, A or B, is native to South America?": `asked` is the question without its options. */
  | { readonly kind: "choice"; readonly options: readonly [string, string]; readonly asked: string };

const COUNT = /^\s*(?:\w+\s+){0,3}?how\s+(?:many|much)\b/i;
const YEAR = /\b(?:what|which)\s+year\b|^\s*(?:in\s+)?when\b/i;
const TOWN = /\b(?:what|which)\s+(city|town|village|municipality|suburb|borough|county seat)\b/i;
const PERSON = /^\s*who(?:m|se)?\b/i;
/** "Who is Marie Curie?" asks for a description, not a name. */
const WHO_IS_NAMED = /^\s*[Ww]ho\s+(?:is|was|are|were)\s+(?:the\s+)?[A-Z]/;
const BOTH_BEFORE = /^\s*(?:are|were|is|was)\s+both\s+(.+)$/i;
const BOTH_AFTER = /^\s*(?:are|were|is|was|do|did|does|have|had)\s+(.+)\s+and\s+(.+?)\s+both\s+(.+?)[?.!\s]*$/i;
const YES_NO_OPENING = /^\s*(?:are|were|is|was|do|did|does|have|had)\s+(.+)$/i;
const SAME = /\bsame\s+([\w\s]+?)[?.!\s]*$/i;

/** "musicians Robert Fleischman" → "Robert Fleischman": lower-case words before a name describe it. */
function trimDescription(option: string): string {
  const words = option.trim().split(/\s+/);
  while (words.length > 1 && /^[a-z]/.test(words[0] ?? "") && /^[A-Z]/.test(words.slice(1).join(" "))) words.shift();
  return words.join(" ");
}

/** The capitalised run opening `text` ("Spike Slawson American punk rock musicians" → "Spike Slawson"). */
function leadingName(text: string): { name: string; rest: string } | undefined {
  const match = /^((?:[A-Z][\p{L}'’.-]*|of|the|de|and|for)(?:\s+(?:[A-Z][\p{L}'’.-]*|of|the|de|for))*)\s+(.+)$/u.exec(text.trim());
  if (match === null) return undefined;
  return { name: match[1] ?? "", rest: match[2] ?? "" };
}

/** Options "A and B" opening `body`; B is the name run after the last "and", the rest is what is asked of them. */
function twoOptions(body: string): { options: readonly [string, string]; rest: string } | undefined {
  const and = body.lastIndexOf(" and ");
  if (and === -1) return undefined;
  const second = leadingName(body.slice(and + 5));
  if (second === undefined) return undefined;
  // "Spike Slawson American punk rock musicians": a nationality after the name belongs to what is asked.
  const words = second.name.split(/\s+/);
  const moved: string[] = [];
  while (words.length > 1 && nationalityOf(stem((words[words.length - 1] ?? "").toLowerCase())) !== undefined) moved.unshift(words.pop() ?? "");
  const first = trimDescription(body.slice(0, and));
  if (first === "" || words.length === 0) return undefined;
  return { options: [first, words.join(" ")], rest: [...moved, second.rest].join(" ") };
}

function bothBefore(question: string): AskedFor | undefined {
  const body = BOTH_BEFORE.exec(question.replace(/[?.!\s]+$/, ""))?.[1];
  const parsed = body === undefined ? undefined : twoOptions(body);
  return parsed === undefined ? undefined : { kind: "both", options: parsed.options, attribute: parsed.rest };
}

function sameThing(question: string): AskedFor | undefined {
  const attribute = SAME.exec(question)?.[1];
  const body = YES_NO_OPENING.exec(question.replace(/[?.!\s]+$/, ""))?.[1];
  if (attribute === undefined || body === undefined) return undefined;
  const parsed = twoOptions(body.slice(0, body.search(/\bsame\b/i)));
  return parsed === undefined ? undefined : { kind: "same", options: parsed.options, attribute: attribute.trim().toLowerCase() };
}

const WHICH = /^\s*(?:which|what|who)\b/i;

/** "..., A or B?" or "..., A or B, ...": the candidates sit between commas (or a comma and the end). */
function choiceOf(query: string): AskedFor | undefined {
  if (!WHICH.test(query)) return undefined;
  const question = query.trim().replace(/[?.!\s]+$/, "");
  const segments = question.split(",");
  const at = segments.findIndex((segment, i) => i > 0 && / or /.test(segment));
  const segment = segments[at];
  if (segment === undefined || at === -1) return undefined;
  const [a, b, ...more] = segment.split(" or ").map((option) => option.trim());
  if (a === undefined || b === undefined || more.length > 0 || a === "" || b === "") return undefined;
  const asked = [...segments.slice(0, at), ...segments.slice(at + 1)].join(",");
  return { kind: "choice", options: [a, b], asked };
}

export function readAskedFor(query: string): AskedFor | undefined {
  const both = BOTH_AFTER.exec(query);
  if (both !== null) {
    return { kind: "both", options: [trimDescription(both[1] ?? ""), trimDescription(both[2] ?? "")], attribute: both[3] ?? "" };
  }
  const bothFirst = bothBefore(query);
  if (bothFirst !== undefined) return bothFirst;
  const same = sameThing(query);
  if (same !== undefined) return same;
  const choice = choiceOf(query);
  if (choice !== undefined) return choice;
  if (COUNT.test(query)) return { kind: "count" };
  if (YEAR.test(query)) return { kind: "year" };
  const town = TOWN.exec(query);
  if (town !== null) return { kind: "town", unit: (town[1] ?? "city").toLowerCase() };
  // "Who ..., A or B?" names its candidates: the answer repeats one of them.
  if (PERSON.test(query) && !WHO_IS_NAMED.test(query) && !/\bor\b/i.test(query)) return { kind: "person" };
  return undefined;
}
