import { PhoenixInputError, PhoenixResponseError } from "../../errors.js";
import type { PhoenixDatasetUpload, PhoenixExperimentStore } from "../../store/experiments/experiment-types.js";
import { sameContent } from "./example-identity.js";
import type { PlannedExample } from "./experiment-input.js";

export interface SyncedDataset {
  datasetId: string;
  versionId: string;
  /** Examples this call uploaded. */
  added: number;
}

export interface DatasetRequest {
  name: string;
  description?: string;
  examples: readonly PlannedExample[];
  onNewExamples: "refuse" | "append";
  display: string;
}

/**
 * The dataset of an experiment, created once by name and found again:
 *
 * - no dataset of that name: it is created (`action: create`) with every
 *   example under its stable id (`example_ids`);
 * - a dataset that holds every example (same id, same input, reference and
 *   metadata): it is used as it is, at its latest version, nothing uploaded;
 * - an example id it holds with other content: refused — an experiment
 *   compared against earlier ones must mean the same thing by each example;
 * - examples it lacks: refused by default (a PhoenixInputError saying how
 *   many and what to do), or appended as a new version with
 *   `onNewExamples: "append"`.
 *
 * A dataset created by someone else between our look-up and our create
 * (Phoenix's 409) is looked up again and treated as found.
 */
export async function syncDataset(store: PhoenixExperimentStore, request: DatasetRequest): Promise<SyncedDataset> {
  for (let attempt = 0; ; attempt++) {
    const found = await store.findDataset(request.name);
    if (!found) {
      const created = await store.uploadDataset(uploadOf(request, "create", request.examples));
      if (created.status === "stored") return { datasetId: created.dataset_id, versionId: created.version_id, added: request.examples.length };
      if (attempt > 0) throw conflict(request, created.message);
      continue;
    }
    const current = await store.readExamples(found.id);
    if (!current) throw new PhoenixResponseError(404, `${request.display} listed the dataset ${JSON.stringify(request.name)} but has no examples for it.`);
    const byId = new Map(current.examples.map((e) => [e.id, e]));
    const changed = request.examples.filter((e) => {
      const stored = byId.get(e.id);
      return stored !== undefined && !sameContent(e.content, { input: stored.input, output: stored.output, metadata: stored.metadata });
    });
    if (changed.length > 0) {
      throw new PhoenixInputError(
        `The dataset ${JSON.stringify(request.name)} already holds the example id ${JSON.stringify(changed[0]!.id)} with other content ` +
          `(${changed.length} example(s) differ). An experiment compares runs on the same examples: give a changed example a new id ` +
          "(or leave ids out, so that the content decides them), or log to a new dataset name.",
      );
    }
    const missing = request.examples.filter((e) => !byId.has(e.id));
    if (missing.length === 0) return { datasetId: found.id, versionId: current.version_id, added: 0 };
    if (request.onNewExamples !== "append") {
      throw new PhoenixInputError(
        `The dataset ${JSON.stringify(request.name)} exists with other examples: ${missing.length} of these ${request.examples.length} ` +
          `are not in it (the first: ${JSON.stringify(missing[0]!.id)}). Pass onNewExamples: "append" to add them as a new dataset version, ` +
          "or log to a new dataset name.",
      );
    }
    const appended = await store.uploadDataset(uploadOf(request, "append", missing));
    if (appended.status === "stored") return { datasetId: appended.dataset_id, versionId: appended.version_id, added: missing.length };
    if (attempt > 0) throw conflict(request, appended.message);
  }
}

function uploadOf(request: DatasetRequest, action: "create" | "append", examples: readonly PlannedExample[]): PhoenixDatasetUpload {
  return {
    action,
    name: request.name,
    ...(request.description !== undefined && action === "create" ? { description: request.description } : {}),
    inputs: examples.map((e) => e.content.input),
    outputs: examples.map((e) => e.content.output),
    metadata: examples.map((e) => e.content.metadata),
    example_ids: examples.map((e) => e.id),
    ...(examples.some((e) => e.spanId !== null) ? { span_ids: examples.map((e) => e.spanId) } : {}),
  };
}

function conflict(request: DatasetRequest, message: string): PhoenixInputError {
  return new PhoenixInputError(
    `${request.display} refused the dataset ${JSON.stringify(request.name)} twice while another client changed it (${message}). Try again, or log to a new dataset name.`,
  );
}
