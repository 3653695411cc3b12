import { PhoenixInputError } from "../../errors.js";
import type {
  PhoenixDataset,
  PhoenixDatasetExample,
  PhoenixDatasetExamples,
  PhoenixDatasetUpload,
  PhoenixDatasetUploadResult,
} from "./experiment-types.js";
import { localGlobalId, phoenixTime, type LocalFiles } from "./local-files.js";

export type StoredDataset = Omit<PhoenixDataset, "example_count">;
export interface StoredVersion {
  dataset_id: string;
  version_id: string;
  created_at: string;
}
export interface StoredExample {
  dataset_id: string;
  version_id: string;
  example: PhoenixDatasetExample;
  span_id: string | null;
}

/**
 * The local store's datasets, versioned as Phoenix keeps them: each upload
 * is a new version; `create` refuses a name that exists and `append` adds
 * examples, refusing an example id that is already in the dataset (Phoenix's
 * 409s). The examples of a version are those of every upload up to it.
 * `update` (Phoenix's patch-and-delete upload) is not kept locally: the
 * connector never sends it.
 */
export class LocalDatasets {
  readonly #files: LocalFiles;

  constructor(files: LocalFiles) {
    this.#files = files;
  }

  async find(name: string): Promise<PhoenixDataset | undefined> {
    const dataset = (await this.#files.read<StoredDataset>("datasets")).find((d) => d.name === name);
    return dataset && this.#withCount(dataset);
  }

  async get(datasetId: string): Promise<PhoenixDataset | undefined> {
    const dataset = await this.stored(datasetId);
    return dataset && this.#withCount(dataset);
  }

  async stored(datasetId: string): Promise<StoredDataset | undefined> {
    return (await this.#files.read<StoredDataset>("datasets")).find((d) => d.id === datasetId);
  }

  /** The dataset's versions, oldest first. */
  async versions(datasetId: string): Promise<StoredVersion[]> {
    return (await this.#files.read<StoredVersion>("versions")).filter((v) => v.dataset_id === datasetId);
  }

  /** The examples of a version (default the latest); undefined for an unknown dataset or version. */
  async examples(datasetId: string, versionId?: string): Promise<PhoenixDatasetExamples | undefined> {
    if (!(await this.stored(datasetId))) return undefined;
    const versions = await this.versions(datasetId);
    const at = versionId === undefined ? versions.length - 1 : versions.findIndex((v) => v.version_id === versionId);
    if (versionId !== undefined && at < 0) return undefined;
    const included = new Set(versions.slice(0, at + 1).map((v) => v.version_id));
    const examples = (await this.#files.read<StoredExample>("examples"))
      .filter((e) => e.dataset_id === datasetId && included.has(e.version_id) && e.example !== null && typeof e.example === "object")
      .map((e) => e.example);
    return { dataset_id: datasetId, version_id: versions[at]?.version_id ?? "", examples };
  }

  async upload(upload: PhoenixDatasetUpload): Promise<PhoenixDatasetUploadResult> {
    const n = upload.inputs.length;
    for (const key of ["outputs", "metadata", "example_ids", "span_ids"] as const) {
      const list = upload[key];
      if (list !== undefined && list.length !== n) throw new PhoenixInputError(`The dataset upload's ${key} must have one entry per input (${list.length} != ${n}).`);
    }
    if (new Set(upload.example_ids).size !== n) throw new PhoenixInputError("The dataset upload's example_ids must be unique.");
    const at = phoenixTime();
    let dataset = (await this.#files.read<StoredDataset>("datasets")).find((d) => d.name === upload.name);
    if (dataset && upload.action === "create") return { status: "conflict", message: `Dataset with the same name already exists: name='${upload.name}'` };
    if (dataset) {
      const live = new Set((await this.examples(dataset.id))?.examples.map((e) => e.id));
      const clash = upload.example_ids.find((id) => live.has(id));
      if (clash !== undefined) return { status: "conflict", message: `Example with ID ${clash} already exists in dataset ${upload.name}` };
    } else {
      dataset = { id: localGlobalId("Dataset"), name: upload.name, description: upload.description ?? null, metadata: {}, created_at: at, updated_at: at };
      await this.#files.append("datasets", [dataset]);
    }
    const version: StoredVersion = { dataset_id: dataset.id, version_id: localGlobalId("DatasetVersion"), created_at: at };
    const examples: StoredExample[] = upload.inputs.map((input, i) => ({
      dataset_id: dataset.id,
      version_id: version.version_id,
      span_id: upload.span_ids?.[i] ?? null,
      example: {
        id: upload.example_ids[i]!,
        node_id: localGlobalId("DatasetExample"),
        input,
        output: upload.outputs[i] ?? {},
        metadata: upload.metadata[i] ?? {},
        updated_at: at,
      },
    }));
    // Examples before their version: a reader never sees a version whose examples are still to come.
    await this.#files.append("examples", examples);
    await this.#files.append("versions", [version]);
    return { status: "stored", dataset_id: dataset.id, version_id: version.version_id, num_created_examples: n, num_updated_examples: 0, num_deleted_examples: 0 };
  }

  async #withCount(dataset: StoredDataset): Promise<PhoenixDataset> {
    const examples = await this.examples(dataset.id);
    const versions = await this.versions(dataset.id);
    return { ...dataset, updated_at: versions.at(-1)?.created_at ?? dataset.updated_at, example_count: examples?.examples.length ?? 0 };
  }
}
