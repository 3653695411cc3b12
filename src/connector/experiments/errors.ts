import { PhoenixConnectorError } from "../../errors.js";

/** An experiment id that the back end does not hold. */
export class PhoenixExperimentNotFoundError extends PhoenixConnectorError {
  readonly experimentIds: readonly string[];
  constructor(experimentIds: readonly string[], where: string) {
    super(
      "PHOENIX_EXPERIMENT_NOT_FOUND",
      `${where} has no experiment ${experimentIds.map((id) => JSON.stringify(id)).join(", ")}. ` +
        "Use the experimentId logExperiment returned (or the id in Phoenix's experiments list of the dataset), " +
        "and check that the endpoint (--endpoint, PHOENIX_COLLECTOR_ENDPOINT) is where it was logged.",
    );
    this.experimentIds = experimentIds;
  }
}
