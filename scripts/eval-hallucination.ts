/**
 * Measures a hallucination detector on the HaluEval QA sample
 * (data/halueval/qa-dev.jsonl: 600 items, half "factual", half "hallucinated").
 *
 *   npm run eval:hallucination
 *   npm run eval:hallucination -- --detector judge --judge-url http://localhost:6006/v1 --model openai:gpt-4o-mini
 *
 * Flags: --detector grounding|judge, --judge-url, --model, --limit N,
 * --threshold T, --data PATH, --concurrency N (judge only), --repeats N
 * (grounding only), --show-errors N.
 * The judge's API key is read from PHOENIX_JUDGE_API_KEY, as by the CLI's detect (never a flag, so it stays
 * out of shell history).
 *
 * Prints accuracy, precision, recall and F1 for the "hallucinated" class, the
 * confusion matrix, and the median and p99 time per item.
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

interface Item {
  readonly id: string;
  readonly question: string;
  readonly context: string;
  readonly response: string;
  readonly label: HallucinationLabel;
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
    repeats: { type: "string", default: "5" },
  },
  strict: true,
});

function positiveInteger(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) fail(`--${name} must be a non-negative integer, got ${raw}`);
  return value;
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
      };
    });
}

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
      { context: item.context, response: item.response, query: item.question, threshold },
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

async function main(): Promise<void> {
  const threshold = Number(flags.threshold);
  if (!Number.isFinite(threshold) || threshold < 0 || threshold > 1) fail(`--threshold must be in [0, 1], got ${flags.threshold}`);
  const limit = positiveInteger("limit", flags.limit);
  const concurrency = Math.max(1, positiveInteger("concurrency", flags.concurrency) ?? 4);
  const showErrors = positiveInteger("show-errors", flags["show-errors"]) ?? 0;
  const repeats = Math.max(1, positiveInteger("repeats", flags.repeats) ?? 5);
  const all = await readItems(flags.data);
  const items = limit === undefined ? all : all.slice(0, limit);
  const detector = chooseDetector();

  const outcomes: Outcome[] = [];
  const inProcess = detector.annotatorKind === "CODE";
  if (inProcess) {
    for (const item of items) await runOne(item, detector, threshold);
    outcomes.push(...(await runPasses(items, detector, threshold, repeats)));
  } else {
    for (let i = 0; i < items.length; i += concurrency) {
      const batch = items.slice(i, i + concurrency);
      outcomes.push(...(await Promise.all(batch.map((item) => runOne(item, detector, threshold)))));
    }
  }

  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  const errors = outcomes.filter((o) => o.result === undefined);
  for (const { item, result } of outcomes) {
    if (result === undefined) continue;
    const predicted = result.label === "hallucinated";
    const actual = item.label === "hallucinated";
    if (predicted && actual) tp++;
    else if (predicted && !actual) fp++;
    else if (!predicted && actual) fn++;
    else tn++;
  }
  const judged = tp + fp + tn + fn;
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  const times = outcomes.map((o) => o.ms).sort((a, b) => a - b);
  const format = (value: number): string => value.toFixed(3);

  console.log(`HaluEval QA: ${items.length} items from ${flags.data}`);
  console.log(`detector: ${detector.name} (${detector.annotatorKind}), threshold ${threshold}`);
  if (errors.length > 0) console.log(`errors: ${errors.length} (not counted below); first: ${errors[0]?.error ?? ""}`);
  console.log("");
  console.log(`accuracy   ${format(judged === 0 ? 0 : (tp + tn) / judged)}`);
  console.log(`precision  ${format(precision)}   (class "hallucinated")`);
  console.log(`recall     ${format(recall)}`);
  console.log(`F1         ${format(f1)}`);
  console.log("");
  console.log("confusion matrix      predicted hallucinated   predicted factual");
  console.log(`actual hallucinated   ${String(tp).padStart(22)}   ${String(fn).padStart(17)}`);
  console.log(`actual factual        ${String(fp).padStart(22)}   ${String(tn).padStart(17)}`);
  console.log("");
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

  if (showErrors > 0) {
    const wrong = outcomes.filter((o) => o.result !== undefined && o.result.label !== o.item.label).slice(0, showErrors);
    console.log(`\nfirst ${wrong.length} misclassified:`);
    for (const { item, result } of wrong) {
      console.log(`- ${item.id} [expected ${item.label}, got ${result?.label ?? "?"} ${format(result?.score ?? Number.NaN)}]`);
      console.log(`  C: ${item.context}`);
      console.log(`  Q: ${item.question}`);
      console.log(`  A: ${item.response}`);
      console.log(`  ${result?.explanation ?? ""}`);
    }
  }
}

await main();
