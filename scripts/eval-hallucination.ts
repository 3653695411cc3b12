/**
 * Measures a hallucination detector on the HaluEval QA sample
 * (data/halueval/qa-dev.jsonl: 600 items, half "factual", half "hallucinated")
 * and on perturbation sets made by rule from the same contexts.
 *
 *   npm run eval:hallucination
 *   npm run eval:hallucination -- --detector judge --judge-url http://localhost:6006/v1 --model openai:gpt-4o-mini
 *
 * Flags: --detector grounding|judge, --judge-url, --model, --limit N,
 * --threshold T, --data PATH, --concurrency N (judge only), --repeats N
 * (grounding only), --show-errors N, --errors-from tune|held-out,
 * --perturbations (on by default for grounding, off for the judge: each item is one model call),
 * --no-perturbations.
 * The judge's API key is read from PHOENIX_JUDGE_API_KEY, as by the CLI's detect (never a flag, so it stays
 * out of shell history).
 *
 * Guarding against tuning: every question is put, by a hash of its text, in
 * the "tune" part or the "held-out" part of the data (both answers to one
 * question land in the same part, as they share the context). Rules are
 * tuned by looking at the tune part only: --show-errors prints tune errors
 * unless --errors-from held-out is given. The perturbation sets are made
 * from the contexts of each part separately, by rules that do not know the
 * detector: a name swapped for another name of the same context, a number
 * changed, a negation inserted or removed (hallucinated), and a sentence
 * reworded with common synonyms or shortened (grounded).
 *
 * Prints, for all items and for each part: accuracy, precision, recall and
 * F1 for the "hallucinated" class and the confusion matrix; for each
 * perturbation set, how many it catches and F1/precision against the
 * rewordings; then the median and p99 time per item.
 *
 * Timing of an in-process (CODE) detector: one untimed warm-up pass over all
 * items (JIT compilation is not the detector's steady-state cost), then each
 * item is run once in each of --repeats passes (default 5) and its time is
 * the median of its runs, so a garbage-collection pause or a scheduler
 * hiccup that lands on one run is not charged to that item. The p99 of
 * single runs, pauses included, is printed as well. A judge (LLM) is run
 * once per item, --concurrency at a time.
 */
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { performance } from "node:perf_hooks";
import {
  detectHallucination,
  grounding,
  llmJudge,
  type HallucinationDetector,
  type HallucinationLabel,
  type HallucinationResult,
} from "../src/hallucination/index.js";

type Split = "tune" | "held-out";

interface Item {
  readonly id: string;
  readonly question: string;
  readonly context: string;
  readonly response: string;
  readonly label: HallucinationLabel;
  readonly split: Split;
  /** For perturbations: the rule that made the item. */
  readonly set?: PerturbationKind;
}

interface Outcome {
  readonly item: Item;
  readonly result: HallucinationResult | undefined;
  readonly error: string | undefined;
  /** The item's time: the median of its runs. */
  readonly ms: number;
  /** Every run's time. */
  readonly runs: readonly number[];
}

const here = dirname(fileURLToPath(import.meta.url));

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

const { values: flags } = parseArgs({
  options: {
    detector: { type: "string", default: "grounding" },
    "judge-url": { type: "string" },
    model: { type: "string" },
    limit: { type: "string" },
    threshold: { type: "string", default: "0.5" },
    data: { type: "string", default: resolve(here, "../data/halueval/qa-dev.jsonl") },
    concurrency: { type: "string", default: "4" },
    "show-errors": { type: "string", default: "0" },
    "errors-from": { type: "string", default: "tune" },
    repeats: { type: "string", default: "5" },
    perturbations: { type: "boolean" },
    "no-perturbations": { type: "boolean" },
  },
  strict: true,
});

function positiveInteger(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) fail(`--${name} must be a non-negative integer, got ${raw}`);
  return value;
}

/** FNV-1a, 32 bits: a stable hash, so a question always lands in the same part. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

function splitOf(question: string): Split {
  return hash(`split:${question.trim().toLowerCase()}`) % 2 === 0 ? "tune" : "held-out";
}

async function readItems(path: string): Promise<Item[]> {
  const text = await readFile(path, "utf8").catch((error: unknown) =>
    fail(`Cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`),
  );
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line, index) => {
      const row = JSON.parse(line) as Partial<Record<keyof Item, unknown>>;
      if (
        typeof row.context !== "string" ||
        typeof row.response !== "string" ||
        typeof row.question !== "string" ||
        (row.label !== "factual" && row.label !== "hallucinated")
      ) {
        fail(`${path}:${index + 1}: expected { id, question, context, response, label: "factual" | "hallucinated" }`);
      }
      return {
        id: typeof row.id === "string" ? row.id : `line-${index + 1}`,
        question: row.question,
        context: row.context,
        response: row.response,
        label: row.label,
        split: splitOf(row.question),
      };
    });
}

// ---------------------------------------------------------------------------
// Perturbation sets, made by rule from the contexts. The rules are plain
// string edits that know nothing of the detector's lexicon or checks.

type PerturbationKind = "entity swap" | "number change" | "negation" | "rewording";

/** Context sentences; HaluEval often joins them without a space ("century.First for Women"). */
function contextSentences(context: string): string[] {
  return context
    .replace(/([a-z0-9)\]"”])\.(?=[A-Z])/g, "$1. ")
    // Not after an initial or a title ("L. Ron Hubbard", "Mr. T").
    .split(/(?<![\s.][A-Z]\.|\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Lt|Gen|Col|No)\.)(?<=[.!?])\s+(?=[A-Z"“])/)
    .map((s) => s.trim())
    .filter((s) => s.length >= 25 && s.length <= 300 && /[.!?]$/.test(s));
}

/** Runs of capitalised words (with "of", "the", "de" inside), not at the start of the sentence. */
function namesIn(sentence: string): { text: string; index: number }[] {
  const names: { text: string; index: number }[] = [];
  const pattern = /\b[A-Z][\p{L}'’.-]+(?:\s+(?:(?:of|the|de|van|von|and)\s+)?[A-Z][\p{L}'’.-]+)*/gu;
  for (let m = pattern.exec(sentence); m !== null; m = pattern.exec(sentence)) {
    const text = m[0].replace(/[.'’-]+$/, "");
    if (m.index === 0 || text.length < 3) continue;
    if (/^(?:January|February|March|April|May|June|July|August|September|October|November|December|The|It|He|She|In|On|At|As|By|For|With|I|II|III)$/.test(text)) continue;
    names.push({ text, index: m.index });
  }
  return names;
}

function pick<T>(list: readonly T[], seed: string): T | undefined {
  return list.length === 0 ? undefined : list[hash(seed) % list.length];
}

function entitySwap(sentences: readonly string[], seed: string): string | undefined {
  const all = sentences.flatMap((s) => namesIn(s).map((n) => n.text));
  for (let k = 0; k < sentences.length; k++) {
    const sentence = pick(sentences, `${seed}:swap:${k}`) ?? "";
    const own = namesIn(sentence);
    const target = pick(own, `${seed}:target:${k}`);
    if (target === undefined) continue;
    const targetWords = new Set(target.text.toLowerCase().split(/\s+/));
    const candidates = [...new Set(all)].filter(
      (name) =>
        !sentence.includes(name) &&
        !name.toLowerCase().split(/\s+/).some((w) => targetWords.has(w)) &&
        !target.text.includes(name),
    );
    const replacement = pick(candidates, `${seed}:replacement:${k}`);
    if (replacement === undefined) continue;
    return sentence.slice(0, target.index) + replacement + sentence.slice(target.index + target.text.length);
  }
  return undefined;
}

function numberChange(sentences: readonly string[], context: string, seed: string): string | undefined {
  const inContext = new Set((context.match(/\d+/g) ?? []).map(Number));
  for (let k = 0; k < sentences.length; k++) {
    const sentence = pick(sentences, `${seed}:number:${k}`) ?? "";
    const numbers = [...sentence.matchAll(/(?<![\d.,])\d{1,3}(?:,\d{3})+(?![\d.,]\d)|(?<![\d.,])\d+(?![\d.,]\d)/g)];
    const target = pick(numbers, `${seed}:which:${k}`);
    if (target === undefined || target.index === undefined) continue;
    const value = Number(target[0].replace(/,/g, ""));
    if (value === 0) continue;
    const isYear = value >= 1000 && value <= 2099 && !target[0].includes(",");
    let changed = value;
    for (let step = 1; step < 20 && (changed === value || inContext.has(changed)); step++) {
      const delta = 1 + (hash(`${seed}:delta:${step}`) % 9);
      const sign = hash(`${seed}:sign:${step}`) % 2 === 0 ? 1 : -1;
      changed = isYear ? value + sign * delta : Math.max(1, value + sign * Math.max(1, Math.round(value * 0.1 * delta)));
    }
    if (changed === value || inContext.has(changed)) continue;
    const written = target[0].includes(",") ? changed.toLocaleString("en-US") : String(changed);
    return sentence.slice(0, target.index) + written + sentence.slice(target.index + target[0].length);
  }
  return undefined;
}

/** Verbs in the past tense whose negation needs "did not" and the base form. */
const PAST_TO_BASE: ReadonlyMap<string, string> = new Map([
  ["founded", "found"], ["directed", "direct"], ["played", "play"], ["won", "win"], ["released", "release"],
  ["wrote", "write"], ["starred", "star"], ["served", "serve"], ["received", "receive"], ["joined", "join"],
  ["created", "create"], ["produced", "produce"], ["published", "publish"], ["formed", "form"], ["died", "die"],
  ["became", "become"], ["began", "begin"], ["moved", "move"], ["led", "lead"], ["worked", "work"],
]);

function negationEdit(sentence: string, seed: string): string | undefined {
  // A negated context sentence: drop its negation.
  const negated = /\b(?:is|was|are|were|does|did|has|have|had|can|could|will|would)\s+(not|never)\s+/i.exec(sentence);
  if (negated !== null) return sentence.replace(/\s+(?:not|never)\s+/i, " ");
  const copula = /\b(is|was|are|were)\s+(?!not\b|never\b|no\b)/.exec(sentence);
  if (copula !== null) {
    const verb = copula[1] ?? "is";
    const variants = verb === "is" || verb === "are" ? ["not", "not", "no longer"] : ["not", "not", "never"];
    const negation = pick(variants, `${seed}:negation`) ?? "not";
    return `${sentence.slice(0, copula.index)}${verb} ${negation} ${sentence.slice(copula.index + copula[0].length)}`;
  }
  const modal = /\b(can|will|has|have|had)\s+(?=[a-z])/.exec(sentence);
  if (modal !== null) {
    const verb = modal[1] ?? "can";
    const negation = verb === "can" ? "cannot" : `${verb} not`;
    return `${sentence.slice(0, modal.index)}${negation} ${sentence.slice(modal.index + modal[0].length)}`;
  }
  for (const [past, base] of PAST_TO_BASE) {
    const at = sentence.search(new RegExp(`\\b${past}\\b`));
    if (at > 0) return `${sentence.slice(0, at)}did not ${base}${sentence.slice(at + past.length)}`;
  }
  return undefined;
}

function negationInsert(sentences: readonly string[], seed: string): string | undefined {
  for (let k = 0; k < sentences.length; k++) {
    const edited = negationEdit(pick(sentences, `${seed}:negate:${k}`) ?? "", seed);
    if (edited !== undefined) return edited;
  }
  return undefined;
}

/** Replacements a careful writer would accept as saying the same thing (general English, not the detector's lexicon). */
const REWORDINGS: readonly (readonly [RegExp, string])[] = [
  [/\bfilm\b/, "movie"], [/\bmovie\b/, "film"], [/\bfounded\b/, "established"], [/\bestablished\b/, "founded"],
  [/\bstarted\b/, "began"], [/\bbegan\b/, "started"], [/\blargest\b/, "biggest"], [/\bbiggest\b/, "largest"],
  [/\bfamous\b/, "well-known"], [/\bwell[- ]known\b/, "famous"], [/\blocated\b/, "situated"], [/\bsituated\b/, "located"],
  [/\bcompany\b/, "firm"], [/\bknown as\b/, "called"], [/\bauthor\b/, "writer"], [/\bwriter\b/, "author"],
  [/\bnovel\b/, "book"], [/\bsinger\b/, "vocalist"], [/\btelevision\b/, "TV"], [/\bapproximately\b/, "about"],
  [/\bdied\b/, "passed away"], [/\bchildren\b/, "kids"], [/\bsong\b/, "track"], [/\balbum\b/, "record"],
  [/\bstarring\b/, "featuring"], [/\bUnited States\b/, "US"], [/\bcurrently\b/, ""], [/\balso\b/, ""],
  [/\bbest known\b/, "famous"], [/\bhuge\b/, "very large"], [/\bbegun\b/, "started"], [/\bcreated\b/, "made"],
  [/\bmunicipality\b/, "town"], [/\bnation\b/, "country"], [/\bmagazine\b/, "periodical"], [/\bperiodical\b/, "magazine"],
];

function fixArticles(text: string): string {
  return text.replace(/\b(a|an|A|An)\s+(\S+)/g, (whole, article: string, word: string) => {
    const vowel = /^[aeiou]/i.test(word) && !/^(?:uni|use|one|US\b)/i.test(word);
    const wanted = vowel ? "an" : "a";
    return `${article[0] === "A" ? wanted[0]?.toUpperCase() + wanted.slice(1) : wanted} ${word}`;
  });
}

function rewording(sentences: readonly string[], seed: string): string | undefined {
  for (let k = 0; k < sentences.length; k++) {
    const sentence = pick(sentences, `${seed}:reword:${k}`) ?? "";
    let text = sentence;
    let changes = 0;
    for (const [pattern, replacement] of REWORDINGS) {
      if (changes >= 2 || !pattern.test(text)) continue;
      text = text.replace(pattern, replacement);
      changes++;
    }
    // Asides in brackets ("(born 1951)") are left out; so is a clause after ", which".
    if (/\s*\([^()]*\)/.test(text) && hash(`${seed}:bracket`) % 2 === 0) {
      text = text.replace(/\s*\([^()]*\)/g, "");
      changes++;
    }
    if (changes === 0) {
      const cut = text.search(/, (?:which|who|where)\b/);
      if (cut > 20) {
        text = `${text.slice(0, cut)}.`;
        changes++;
      }
    }
    if (changes === 0) continue;
    if (hash(`${seed}:prefix`) % 4 === 0) {
      // Lower-case the opener only when it is an ordinary word, not a name.
      const opener = /^(?:The|It|He|She|They|This|In|A|An|As|On)\b/.test(text);
      text = `According to the context, ${opener ? text.charAt(0).toLowerCase() + text.slice(1) : text}`;
    }
    return fixArticles(text.replace(/\s{2,}/g, " ").replace(/\s+([,.])/g, "$1"));
  }
  return undefined;
}

function perturbations(items: readonly Item[]): Item[] {
  const made: Item[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    if (seen.has(item.context)) continue;
    seen.add(item.context);
    const sentences = contextSentences(item.context);
    if (sentences.length === 0) continue;
    const seed = item.question;
    const add = (set: PerturbationKind, response: string | undefined, label: HallucinationLabel): void => {
      // An edit that left the text as the context has it changed nothing.
      if (response === undefined || response === "" || item.context.includes(response)) return;
      // A statement, not an answer to the question: the question is not given.
      made.push({ id: `${item.id.replace(/-(?:factual|hallucinated)$/, "")}-${set.replace(" ", "-")}`, question: "", context: item.context, response, label, split: item.split, set });
    };
    add("entity swap", entitySwap(sentences, seed), "hallucinated");
    add("number change", numberChange(sentences, item.context, seed), "hallucinated");
    add("negation", negationInsert(sentences, seed), "hallucinated");
    add("rewording", rewording(sentences, seed), "factual");
  }
  return made;
}

// ---------------------------------------------------------------------------

function chooseDetector(): HallucinationDetector {
  if (flags.detector === "grounding") return grounding;
  if (flags.detector !== "judge") fail(`--detector must be "grounding" or "judge", got ${flags.detector}`);
  const baseURL = flags["judge-url"];
  const model = flags.model;
  if (baseURL === undefined || model === undefined) fail("--detector judge needs --judge-url and --model");
  const apiKey = process.env.PHOENIX_JUDGE_API_KEY || undefined;
  return llmJudge({ baseURL, model, ...(apiKey === undefined || apiKey === "" ? {} : { apiKey }) });
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

async function runOne(item: Item, detector: HallucinationDetector, threshold: number): Promise<Outcome> {
  const started = performance.now();
  try {
    const result = await detectHallucination(
      { context: item.context, response: item.response, ...(item.question === "" ? {} : { query: item.question }), threshold },
      detector,
    );
    const ms = performance.now() - started;
    return { item, result, error: undefined, ms, runs: [ms] };
  } catch (error) {
    const ms = performance.now() - started;
    return { item, result: undefined, error: error instanceof Error ? error.message : String(error), ms, runs: [ms] };
  }
}

/**
 * Runs every item once per pass, `repeats` passes, and keeps each item's median.
 * Whole passes (not back-to-back repeats of one item) so that each run costs
 * what a single call costs, context indexing included.
 */
async function runPasses(items: readonly Item[], detector: HallucinationDetector, threshold: number, repeats: number): Promise<Outcome[]> {
  const passes: Outcome[][] = [];
  for (let pass = 0; pass < repeats; pass++) {
    const outcomes: Outcome[] = [];
    for (const item of items) outcomes.push(await runOne(item, detector, threshold));
    passes.push(outcomes);
  }
  return items.map((_, index) => {
    const runs = passes.map((outcomes) => outcomes[index]?.ms ?? Number.NaN);
    const first = passes[0]?.[index];
    if (first === undefined) throw new Error("no runs");
    return { ...first, ms: percentile([...runs].sort((a, b) => a - b), 50), runs };
  });
}

async function runAll(items: readonly Item[], detector: HallucinationDetector, threshold: number, repeats: number, concurrency: number): Promise<Outcome[]> {
  if (detector.annotatorKind === "CODE") {
    for (const item of items) await runOne(item, detector, threshold);
    return runPasses(items, detector, threshold, repeats);
  }
  const outcomes: Outcome[] = [];
  for (let i = 0; i < items.length; i += concurrency) {
    const batch = items.slice(i, i + concurrency);
    outcomes.push(...(await Promise.all(batch.map((item) => runOne(item, detector, threshold)))));
  }
  return outcomes;
}

interface Counts {
  readonly tp: number;
  readonly fp: number;
  readonly tn: number;
  readonly fn: number;
}

function countOutcomes(outcomes: readonly Outcome[]): Counts {
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (const { item, result } of outcomes) {
    if (result === undefined) continue;
    const predicted = result.label === "hallucinated";
    const actual = item.label === "hallucinated";
    if (predicted && actual) tp++;
    else if (predicted && !actual) fp++;
    else if (!predicted && actual) fn++;
    else tn++;
  }
  return { tp, fp, tn, fn };
}

function rates({ tp, fp, tn, fn }: Counts): { accuracy: number; precision: number; recall: number; f1: number } {
  const judged = tp + fp + tn + fn;
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { accuracy: judged === 0 ? 0 : (tp + tn) / judged, precision, recall, f1 };
}

const format = (value: number): string => value.toFixed(3);

function printFull(outcomes: readonly Outcome[]): void {
  const counts = countOutcomes(outcomes);
  const { accuracy, precision, recall, f1 } = rates(counts);
  console.log(`accuracy   ${format(accuracy)}`);
  console.log(`precision  ${format(precision)}   (class "hallucinated")`);
  console.log(`recall     ${format(recall)}`);
  console.log(`F1         ${format(f1)}`);
  console.log("");
  console.log("confusion matrix      predicted hallucinated   predicted factual");
  console.log(`actual hallucinated   ${String(counts.tp).padStart(22)}   ${String(counts.fn).padStart(17)}`);
  console.log(`actual factual        ${String(counts.fp).padStart(22)}   ${String(counts.tn).padStart(17)}`);
}

function printSplits(outcomes: readonly Outcome[]): void {
  console.log("part       items   accuracy   precision   recall   F1      TP   FN   FP   TN");
  for (const split of ["tune", "held-out"] as const) {
    const part = outcomes.filter((o) => o.item.split === split);
    const counts = countOutcomes(part);
    const r = rates(counts);
    console.log(
      `${split.padEnd(9)} ${String(part.length).padStart(6)}   ${format(r.accuracy)}      ${format(r.precision)}       ${format(r.recall)}    ${format(r.f1)}  ` +
        `${String(counts.tp).padStart(4)} ${String(counts.fn).padStart(4)} ${String(counts.fp).padStart(4)} ${String(counts.tn).padStart(4)}`,
    );
  }
}

function printPerturbations(outcomes: readonly Outcome[]): void {
  console.log("perturbation set   part       items   caught (recall)   F1 / precision vs the rewordings");
  for (const split of ["tune", "held-out"] as const) {
    const part = outcomes.filter((o) => o.item.split === split);
    const faithful = part.filter((o) => o.item.set === "rewording");
    const flagged = faithful.filter((o) => o.result?.label === "hallucinated").length;
    for (const set of ["entity swap", "number change", "negation"] as const) {
      const own = part.filter((o) => o.item.set === set);
      const r = rates(countOutcomes([...own, ...faithful]));
      const caught = own.filter((o) => o.result?.label === "hallucinated").length;
      console.log(
        `${set.padEnd(18)} ${split.padEnd(9)} ${String(own.length).padStart(6)}   ${`${caught} (${format(r.recall)})`.padEnd(16)}  ${format(r.f1)} / ${format(r.precision)}`,
      );
    }
    const all = rates(countOutcomes(part));
    console.log(`${"rewording".padEnd(18)} ${split.padEnd(9)} ${String(faithful.length).padStart(6)}   flagged ${flagged} (${format(faithful.length === 0 ? 0 : flagged / faithful.length)})`);
    console.log(`${"all sets".padEnd(18)} ${split.padEnd(9)} ${String(part.length).padStart(6)}   ${format(all.recall).padEnd(16)}  ${format(all.f1)} / ${format(all.precision)}`);
  }
}

function printTimes(outcomes: readonly Outcome[], inProcess: boolean, repeats: number): void {
  const times = outcomes.map((o) => o.ms).sort((a, b) => a - b);
  if (inProcess) {
    const single = outcomes.flatMap((o) => o.runs).sort((a, b) => a - b);
    console.log(
      `time per item (median of ${repeats} runs each): median ${format(percentile(times, 50))} ms, ` +
        `p99 ${format(percentile(times, 99))} ms, max ${format(times[times.length - 1] ?? Number.NaN)} ms`,
    );
    console.log(
      `single runs, GC pauses included (${single.length}): median ${format(percentile(single, 50))} ms, ` +
        `p99 ${format(percentile(single, 99))} ms, max ${format(single[single.length - 1] ?? Number.NaN)} ms`,
    );
  } else {
    console.log(`time per item: median ${format(percentile(times, 50))} ms, p99 ${format(percentile(times, 99))} ms, max ${format(times[times.length - 1] ?? Number.NaN)} ms`);
  }
}

function printErrors(outcomes: readonly Outcome[], from: Split, count: number): void {
  const wrong = outcomes
    .filter((o) => o.item.split === from && o.result !== undefined && o.result.label !== o.item.label)
    .slice(0, count);
  console.log(`\nfirst ${wrong.length} misclassified (${from} part):`);
  for (const { item, result } of wrong) {
    console.log(`- ${item.id} [expected ${item.label}, got ${result?.label ?? "?"} ${format(result?.score ?? Number.NaN)}]`);
    console.log(`  C: ${item.context}`);
    if (item.question !== "") console.log(`  Q: ${item.question}`);
    console.log(`  A: ${item.response}`);
    console.log(`  ${result?.explanation ?? ""}`);
  }
}

async function main(): Promise<void> {
  const threshold = Number(flags.threshold);
  if (!Number.isFinite(threshold) || threshold < 0 || threshold > 1) fail(`--threshold must be in [0, 1], got ${flags.threshold}`);
  const limit = positiveInteger("limit", flags.limit);
  const concurrency = Math.max(1, positiveInteger("concurrency", flags.concurrency) ?? 4);
  const showErrors = positiveInteger("show-errors", flags["show-errors"]) ?? 0;
  const repeats = Math.max(1, positiveInteger("repeats", flags.repeats) ?? 5);
  const errorsFrom = flags["errors-from"];
  if (errorsFrom !== "tune" && errorsFrom !== "held-out") fail(`--errors-from must be "tune" or "held-out", got ${errorsFrom}`);
  const all = await readItems(flags.data);
  const items = limit === undefined ? all : all.slice(0, limit);
  const detector = chooseDetector();
  const inProcess = detector.annotatorKind === "CODE";
  const withPerturbations = flags["no-perturbations"] === true ? false : (flags.perturbations ?? inProcess);

  const outcomes = await runAll(items, detector, threshold, repeats, concurrency);
  const perturbed = withPerturbations ? await runAll(perturbations(items), detector, threshold, repeats, concurrency) : [];
  const errors = [...outcomes, ...perturbed].filter((o) => o.result === undefined);

  console.log(`HaluEval QA: ${items.length} items from ${flags.data}`);
  console.log(`detector: ${detector.name} (${detector.annotatorKind}), threshold ${threshold}`);
  if (errors.length > 0) console.log(`errors: ${errors.length} (not counted below); first: ${errors[0]?.error ?? ""}`);
  console.log("");
  printFull(outcomes);
  console.log("");
  console.log("by part (split by a hash of the question; rules are tuned on the tune part only):");
  printSplits(outcomes);
  if (perturbed.length > 0) {
    console.log("");
    console.log("perturbations made by rule from each part's contexts (statements, no question):");
    printPerturbations(perturbed);
  }
  console.log("");
  printTimes([...outcomes, ...perturbed], inProcess, repeats);

  if (showErrors > 0) {
    printErrors(outcomes, errorsFrom, showErrors);
    if (perturbed.length > 0) printErrors(perturbed, errorsFrom, showErrors);
  }
}

await main();
