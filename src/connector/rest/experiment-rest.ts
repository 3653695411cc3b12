import { bodyText, type TransportRequest } from "../../http/transport.js";
import { readAllPages } from "../../store/backend.js";
import type {
  PhoenixDataset,
  PhoenixDatasetExamples,
  PhoenixDatasetUpload,
  PhoenixDatasetUploadResult,
  PhoenixExperiment,
  PhoenixExperimentCreate,
  PhoenixExperimentEvaluationData,
  PhoenixExperimentJsonRow,
  PhoenixExperimentRun,
  PhoenixExperimentRunData,
  PhoenixExperimentStore,
  PhoenixExperimentWrite,
} from "../../store/experiments/experiment-types.js";
import {
  datasetBodyShape,
  datasetsPageShape,
  examplesShape,
  experimentJsonShape,
  experimentShape,
  experimentsPageShape,
  idShape,
  runsPageShape,
  uploadShape,
} from "./experiment-shapes.js";

export interface RestAnswer {
  statusCode: number;
  body: Uint8Array;
}

/** What the REST client lends: its sending (retries, typed errors), its body checks and its redaction. */
export interface RestCalls {
  readonly baseUrl: string;
  /** Sends; success and the `accepted` statuses come back, anything else throws its typed error. */
  send(request: TransportRequest, accepted?: readonly number[]): Promise<RestAnswer>;
  parse<T>(answer: RestAnswer, route: string, shape: (body: unknown) => T): T;
  /** Phoenix's words without any credential, for a refusal's message. */
  redact(text: string): string;
}

const RUNS_PER_PAGE = 1_000;
const REFUSED: readonly number[] = [404, 409, 422];

/**
 * Phoenix 20.3's dataset and experiment routes (openapi.json) on the REST
 * client's transport: retried by the retrying transport, failing with the
 * same typed errors as every other REST call. A write Phoenix refuses (404,
 * 409, 422) is answered as `refused` with Phoenix's words, so that one bad
 * run is recorded, not thrown.
 */
export class RestExperiments implements PhoenixExperimentStore {
  readonly #rest: RestCalls;

  constructor(rest: RestCalls) {
    this.#rest = rest;
  }

  async findDataset(name: string): Promise<PhoenixDataset | undefined> {
    const query = new URLSearchParams({ name, limit: "100" });
    const answer = await this.#rest.send({ method: "GET", path: `/v1/datasets?${query}` });
    return this.#rest.parse(answer, "GET /v1/datasets", datasetsPageShape).data.find((d) => d.name === name);
  }

  async getDataset(datasetId: string): Promise<PhoenixDataset | undefined> {
    const answer = await this.#rest.send({ method: "GET", path: `/v1/datasets/${encodeURIComponent(datasetId)}` }, [404, 422]);
    return answer.statusCode < 300 ? this.#rest.parse(answer, "GET /v1/datasets/{id}", datasetBodyShape) : undefined;
  }

  async uploadDataset(upload: PhoenixDatasetUpload): Promise<PhoenixDatasetUploadResult> {
    const answer = await this.#rest.send({ method: "POST", path: "/v1/datasets/upload?sync=true", body: JSON.stringify(upload) }, [409]);
    if (answer.statusCode === 409) return { status: "conflict", message: this.#words(answer) };
    return { status: "stored", ...this.#rest.parse(answer, "POST /v1/datasets/upload", uploadShape) };
  }

  async readExamples(datasetId: string, versionId?: string): Promise<PhoenixDatasetExamples | undefined> {
    const query = versionId === undefined ? "" : `?${new URLSearchParams({ version_id: versionId })}`;
    const answer = await this.#rest.send({ method: "GET", path: `/v1/datasets/${encodeURIComponent(datasetId)}/examples${query}` }, [404, 422]);
    return answer.statusCode < 300 ? this.#rest.parse(answer, "GET /v1/datasets/{id}/examples", examplesShape) : undefined;
  }

  async createExperiment(datasetId: string, body: PhoenixExperimentCreate): Promise<PhoenixExperiment | undefined> {
    const answer = await this.#rest.send(
      { method: "POST", path: `/v1/datasets/${encodeURIComponent(datasetId)}/experiments`, body: JSON.stringify(body) },
      [404],
    );
    return answer.statusCode < 300 ? this.#rest.parse(answer, "POST /v1/datasets/{dataset_id}/experiments", experimentShape) : undefined;
  }

  async listExperiments(datasetId: string): Promise<PhoenixExperiment[]> {
    const path = `/v1/datasets/${encodeURIComponent(datasetId)}/experiments`;
    return readAllPages(async (cursor) => {
      const query = new URLSearchParams({ limit: "100" });
      if (cursor !== undefined) query.set("cursor", cursor);
      const answer = await this.#rest.send({ method: "GET", path: `${path}?${query}` }, [404, 422]);
      if (answer.statusCode >= 300) return { data: [], nextCursor: null };
      return this.#rest.parse(answer, "GET /v1/datasets/{dataset_id}/experiments", experimentsPageShape);
    });
  }

  async getExperiment(experimentId: string): Promise<PhoenixExperiment | undefined> {
    const answer = await this.#rest.send({ method: "GET", path: `/v1/experiments/${encodeURIComponent(experimentId)}` }, [404, 422]);
    return answer.statusCode < 300 ? this.#rest.parse(answer, "GET /v1/experiments/{id}", experimentShape) : undefined;
  }

  async createRun(experimentId: string, run: PhoenixExperimentRunData): Promise<PhoenixExperimentWrite> {
    const path = `/v1/experiments/${encodeURIComponent(experimentId)}/runs`;
    return this.#write({ method: "POST", path, body: JSON.stringify(run) }, "POST /v1/experiments/{id}/runs");
  }

  async readRuns(experimentId: string): Promise<PhoenixExperimentRun[]> {
    const path = `/v1/experiments/${encodeURIComponent(experimentId)}/runs`;
    return readAllPages(async (cursor) => {
      const query = new URLSearchParams({ limit: String(RUNS_PER_PAGE) });
      if (cursor !== undefined) query.set("cursor", cursor);
      const answer = await this.#rest.send({ method: "GET", path: `${path}?${query}` }, [404, 422]);
      if (answer.statusCode >= 300) return { data: [], nextCursor: null };
      return this.#rest.parse(answer, "GET /v1/experiments/{id}/runs", runsPageShape);
    });
  }

  upsertEvaluation(evaluation: PhoenixExperimentEvaluationData): Promise<PhoenixExperimentWrite> {
    return this.#write({ method: "POST", path: "/v1/experiment_evaluations", body: JSON.stringify(evaluation) }, "POST /v1/experiment_evaluations");
  }

  async readExperimentJson(experimentId: string): Promise<PhoenixExperimentJsonRow[] | undefined> {
    const answer = await this.#rest.send({ method: "GET", path: `/v1/experiments/${encodeURIComponent(experimentId)}/json` }, [404, 422]);
    return answer.statusCode < 300 ? this.#rest.parse(answer, "GET /v1/experiments/{id}/json", experimentJsonShape) : undefined;
  }

  /**
   * Phoenix's experiment comparison page: `/datasets/:datasetId/compare`
   * with one `experimentId` query parameter per experiment, the first the
   * baseline. From Phoenix's UI source (Arize-ai/phoenix): the route
   * `path="compare"` under `/datasets/:datasetId` in app/src/Routes.tsx,
   * and app/src/pages/experiment/experimentCompareLoader.ts, which reads
   * `url.searchParams.getAll("experimentId")` (the compare pages take the
   * first as `baseExperimentId`).
   */
  compareUrl(datasetId: string, experimentIds: readonly string[]): string {
    const query = new URLSearchParams();
    for (const id of experimentIds) query.append("experimentId", id);
    return `${this.#rest.baseUrl}/datasets/${encodeURIComponent(datasetId)}/compare?${query}`;
  }

  async #write(request: TransportRequest, route: string): Promise<PhoenixExperimentWrite> {
    const answer = await this.#rest.send(request, REFUSED);
    if (answer.statusCode >= 300) return { status: "refused", statusCode: answer.statusCode, message: this.#words(answer) };
    return { status: "stored", id: this.#rest.parse(answer, route, idShape) };
  }

  #words(answer: RestAnswer): string {
    return this.#rest.redact(bodyText(answer.body, 300)) || `HTTP ${answer.statusCode}`;
  }
}
