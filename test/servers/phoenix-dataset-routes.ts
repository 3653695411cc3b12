import type { IncomingHttpHeaders } from "node:http";
import { DatasetStore, type ExampleContent, type StoredDataset, type StoredDatasetVersion } from "./phoenix-datasets.js";
import { JSON_INVALID, clampLimit, paginate, parseJson, text, type Answer } from "./phoenix-http.js";
import { requestBodyValidator, validationDetail } from "./phoenix-schema.js";
import { globalId, parseGlobalId } from "./phoenix-store.js";

/**
 * Phoenix 20.3's dataset routes (openapi.json): POST /v1/datasets/upload
 * (JSON body), GET /v1/datasets, /v1/datasets/{id}, /{id}/versions,
 * /{id}/examples.
 *
 * Choices where the schema leaves room (not measured against a real Phoenix):
 * - `action` defaults to `create`; `create` with a name that exists is 409
 *   (the schema's 409: "Dataset with the given name already exists
 *   (action=create)"). `append` and `update` with an unknown name create the
 *   dataset, as Phoenix's upload does for a name it has not seen.
 * - `append` adds the examples in a new version; an `example_ids` entry that
 *   is already a live example of the dataset is a 409.
 * - `update` makes the dataset's examples exactly the upload: an example
 *   whose `example_ids` entry matches a live example is patched (counted as
 *   updated only if its content changed), the others are created, and live
 *   examples not in the upload are deleted. Without `example_ids` that
 *   replaces every example.
 * - Without `?sync=true` the answer is 200 `null` (the schema's
 *   `anyOf [UploadDatasetResponseBody, null]`); the dataset is made at once.
 * - `inputs`, `outputs`, `metadata`, `splits`, `span_ids`, `example_ids`
 *   must be of the same length (422 otherwise).
 * - multipart/form-data (CSV/Parquet files) is not implemented: 422 saying so.
 * - `span_ids` link an example to a stored span (`source` in the examples).
 * - An id that is not a global id of the right type is 422, a well-formed
 *   unknown one 404 (both text/plain, as the schema says).
 */
export function datasetRoutes(state: DatasetStore, spanNodeId: (spanId: string) => string | undefined = () => undefined) {
  function datasetBody(dataset: StoredDataset) {
    const latest = state.latestVersion(dataset);
    return {
      id: globalId("Dataset", dataset.rowId),
      name: dataset.name,
      description: dataset.description,
      metadata: dataset.metadata,
      created_at: dataset.created_at,
      updated_at: dataset.updated_at,
      example_count: latest ? state.examplesAt(dataset.rowId, latest.rowId).length : 0,
    };
  }

  function versionBody(version: StoredDatasetVersion) {
    return { version_id: globalId("DatasetVersion", version.rowId), description: version.description, metadata: version.metadata, created_at: version.created_at };
  }

  /** The dataset named by a path id, or the answer Phoenix gives. */
  function findDataset(id: string): StoredDataset | Answer {
    if (parseGlobalId(id, "Dataset") === undefined) return text(422, `Invalid Dataset ID: ${id}`);
    return state.dataset(id) ?? text(404, `Dataset with ID ${id} not found`);
  }

  function upload(url: URL, raw: Buffer, headers: IncomingHttpHeaders): Answer {
    const type = String(headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
    if (type === "multipart/form-data") return text(422, "multipart/form-data uploads (CSV, Parquet) are not implemented by the Phoenix test server; send JSON");
    if (type !== "application/json") return text(422, "Invalid request Content-Type");
    const parsed = parseJson(raw);
    if (!parsed.ok) return JSON_INVALID;
    const validate = requestBodyValidator("/v1/datasets/upload", "post");
    if (!validate(parsed.value)) return { status: 422, body: validationDetail(validate.errors, parsed.value) };
    const body = parsed.value as {
      action?: "create" | "append" | "update";
      name: string;
      description?: string;
      inputs: Array<Record<string, unknown>>;
      outputs?: Array<Record<string, unknown>>;
      metadata?: Array<Record<string, unknown>>;
      splits?: Array<string | string[] | null>;
      span_ids?: Array<string | null>;
      example_ids?: Array<string | null>;
    };
    const n = body.inputs.length;
    for (const key of ["outputs", "metadata", "splits", "span_ids", "example_ids"] as const) {
      const list = body[key];
      if (list !== undefined && list.length !== n) return text(422, `${key} must have the same length as inputs (${list.length} != ${n})`);
    }
    const ids = (body.example_ids ?? []).filter((id): id is string => typeof id === "string");
    if (new Set(ids).size !== ids.length) return text(422, "example_ids must be unique");
    const contents: ExampleContent[] = body.inputs.map((input, i) => {
      const split = body.splits?.[i];
      return { input, output: body.outputs?.[i] ?? {}, metadata: body.metadata?.[i] ?? {}, splits: split == null ? [] : Array.isArray(split) ? split : [split] };
    });
    const action = body.action ?? "create";
    let dataset = state.datasetByName(body.name);
    if (dataset && action === "create") return text(409, `Dataset with the same name already exists: name='${body.name}'`);
    if (dataset && action === "append") {
      const latest = state.latestVersion(dataset);
      const live = new Set(latest ? state.examplesAt(dataset.rowId, latest.rowId).map((e) => e.example.publicId) : []);
      const clash = ids.find((id) => live.has(id));
      if (clash !== undefined) return text(409, `Example with ID ${clash} already exists in dataset ${body.name}`);
    }
    dataset ??= state.createDataset(body.name, body.description ?? null);
    const previous = state.latestVersion(dataset);
    const version = state.createVersion(dataset);
    let created = 0;
    let updated = 0;
    let deleted = 0;
    const live = previous ? state.examplesAt(dataset.rowId, previous.rowId) : [];
    const kept = new Set<number>();
    contents.forEach((content, i) => {
      const publicId = body.example_ids?.[i] ?? null;
      const match = action === "update" && publicId !== null ? live.find((e) => e.example.publicId === publicId) : undefined;
      if (match) {
        kept.add(match.example.rowId);
        const { input, output, metadata, splits } = match.revision;
        if (JSON.stringify({ input, output, metadata, splits }) !== JSON.stringify(content)) {
          state.reviseExample(match.example, version, "PATCH", content);
          updated++;
        }
        return;
      }
      state.addExample(dataset, version, content, publicId, body.span_ids?.[i] ?? null);
      created++;
    });
    if (action === "update") {
      for (const { example, revision } of live) {
        if (kept.has(example.rowId)) continue;
        state.reviseExample(example, version, "DELETE", revision);
        deleted++;
      }
    }
    if (url.searchParams.get("sync") !== "true") return { status: 200, body: "null", headers: { "content-type": "application/json" } };
    return {
      status: 200,
      body: {
        data: {
          dataset_id: globalId("Dataset", dataset.rowId),
          version_id: globalId("DatasetVersion", version.rowId),
          num_created_examples: created,
          num_updated_examples: updated,
          num_deleted_examples: deleted,
        },
      },
    };
  }

  function list(url: URL): Answer {
    const limit = clampLimit(url.searchParams.get("limit"), 10, Number.MAX_SAFE_INTEGER);
    if (limit === undefined) return text(422, "limit must be a positive integer");
    const name = url.searchParams.get("name");
    const datasets = [...state.datasets].filter((d) => name === null || d.name === name).sort((a, b) => b.rowId - a.rowId);
    return paginate(datasets, url.searchParams.get("cursor"), limit, (d) => globalId("Dataset", d.rowId), datasetBody);
  }

  function versions(dataset: StoredDataset, url: URL): Answer {
    const limit = clampLimit(url.searchParams.get("limit"), 10, Number.MAX_SAFE_INTEGER);
    if (limit === undefined) return text(422, "limit must be a positive integer");
    const newestFirst = state.versions.filter((v) => v.datasetRowId === dataset.rowId).sort((a, b) => b.rowId - a.rowId);
    return paginate(newestFirst, url.searchParams.get("cursor"), limit, (v) => globalId("DatasetVersion", v.rowId), versionBody);
  }

  function examples(dataset: StoredDataset, url: URL): Answer {
    const versionId = url.searchParams.get("version_id");
    let version = state.latestVersion(dataset);
    if (versionId !== null) {
      const rowId = parseGlobalId(versionId, "DatasetVersion");
      if (rowId === undefined) return text(422, `Invalid DatasetVersion ID: ${versionId}`);
      version = state.versions.find((v) => v.rowId === rowId && v.datasetRowId === dataset.rowId);
      if (!version) return text(404, `No dataset version with id ${versionId} can be found.`);
    }
    const splits = url.searchParams.getAll("split");
    const rows = version ? state.examplesAt(dataset.rowId, version.rowId) : [];
    return {
      status: 200,
      body: {
        data: {
          dataset_id: globalId("Dataset", dataset.rowId),
          version_id: version ? globalId("DatasetVersion", version.rowId) : "",
          filtered_splits: splits,
          examples: rows
            .filter(({ revision }) => splits.length === 0 || revision.splits.some((s) => splits.includes(s)))
            .map(({ example, revision }) => ({
              id: DatasetStore.exampleId(example),
              node_id: globalId("DatasetExample", example.rowId),
              input: revision.input,
              output: revision.output,
              metadata: revision.metadata,
              updated_at: revision.updated_at,
              ...source(example.spanId),
            })),
        },
      },
    };
  }

  /** An example's link to the span it came from, when that span is stored. */
  function source(spanId: string | null) {
    const node = spanId === null ? undefined : spanNodeId(spanId);
    return node === undefined ? {} : { source: { span_id: spanId!, span_node_id: node } };
  }

  /** Answers a dataset route, or undefined when the path is not one. */
  return function route(method: string, url: URL, raw: Buffer, headers: IncomingHttpHeaders): Answer | undefined {
    const path = url.pathname;
    if (path === "/v1/datasets/upload" && method === "POST") return upload(url, raw, headers);
    if (path === "/v1/datasets" && method === "GET") return list(url);
    const match = /^\/v1\/datasets\/([^/]+)(\/versions|\/examples)?$/.exec(path);
    if (!match || method !== "GET") return undefined;
    const found = findDataset(decodeURIComponent(match[1]!));
    if ("status" in found) return found;
    if (match[2] === "/versions") return versions(found, url);
    if (match[2] === "/examples") return examples(found, url);
    return { status: 200, body: { data: datasetBody(found) } };
  };
}
