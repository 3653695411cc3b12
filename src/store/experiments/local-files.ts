import { randomBytes } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { appendLines, readLines } from "../jsonl-file.js";

/**
 * Where the local store keeps datasets and experiments (`DIR` is the
 * `file://DIR` endpoint), every file JSON lines, appended only:
 *
 *   DIR/datasets/datasets.jsonl        one Phoenix `Dataset` per dataset (without `example_count`, which is counted)
 *   DIR/datasets/versions.jsonl        {"dataset_id", "version_id", "created_at"} per upload, in upload order
 *   DIR/datasets/examples.jsonl        {"dataset_id", "version_id", "example": <Phoenix DatasetExample>, "span_id"}
 *   DIR/experiments/experiments.jsonl  one Phoenix `Experiment` per experiment (without the counts)
 *   DIR/experiments/runs.jsonl         one Phoenix `ExperimentRun` per line; a later line with the same id replaces it
 *   DIR/experiments/evaluations.jsonl  {"id", "experiment_run_id", "name", "annotator_kind", "result", "error", "metadata", "trace_id", "start_time", "end_time"}; same id replaces
 *
 * Several processes may append at once (one O_APPEND write per batch, see
 * jsonl-file.ts); a torn line is skipped by readers.
 */
export const EXPERIMENT_FILES = {
  datasets: join("datasets", "datasets.jsonl"),
  versions: join("datasets", "versions.jsonl"),
  examples: join("datasets", "examples.jsonl"),
  experiments: join("experiments", "experiments.jsonl"),
  runs: join("experiments", "runs.jsonl"),
  evaluations: join("experiments", "evaluations.jsonl"),
} as const;

export type ExperimentFile = keyof typeof EXPERIMENT_FILES;

export class LocalFiles {
  readonly #root: string;

  constructor(root: string) {
    this.#root = root;
  }

  path(file: ExperimentFile): string {
    return join(this.#root, EXPERIMENT_FILES[file]);
  }

  /** The file's objects in file order; a missing file has none, a line that is not an object is skipped. */
  async read<T>(file: ExperimentFile): Promise<T[]> {
    const { values } = await readLines(this.path(file));
    return values.filter((v): v is T => v !== null && typeof v === "object" && !Array.isArray(v));
  }

  async append(file: ExperimentFile, records: readonly unknown[]): Promise<void> {
    if (records.length === 0) return;
    const path = this.path(file);
    await mkdir(dirname(path), { recursive: true });
    await appendLines(path, records.map((r) => JSON.stringify(r)));
  }
}

/** Phoenix's global-id form, base64 of `Type:key`, with a random 64-bit key (no row numbers shared across processes). */
export function localGlobalId(type: string): string {
  return Buffer.from(`${type}:${randomBytes(8).toString("hex")}`, "utf8").toString("base64");
}

/** A time as Phoenix returns it: microseconds and `+00:00`. */
export function phoenixTime(millis: number = Date.now()): string {
  return new Date(millis).toISOString().replace(/\.(\d{3})Z$/, ".$1000+00:00");
}

/** The latest record per id, in the order the ids first appeared (replacements keep their place). */
export function latestById<T extends { id: string }>(records: readonly T[]): T[] {
  const byId = new Map<string, T>();
  for (const record of records) if (typeof record.id === "string") byId.set(record.id, record);
  return [...byId.values()];
}
