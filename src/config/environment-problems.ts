import type { EnvironmentProblem } from "./config-warnings.js";
import { readBatchEnvironment, readOpenInferenceEnvironment, readPhoenixEnvironment } from "./environment.js";
import { environmentEndpointProblem, environmentProjectProblem } from "./phoenix-config.js";

/**
 * Every variable this package reads whose value is set but cannot be used
 * (or that disagrees with another), without warning about any: what
 * `doctor` reports. `given` says which settings a flag or option overrides,
 * so that their variables do not matter.
 */
export function environmentProblems(given: { endpoint?: boolean; project?: boolean } = {}, env: NodeJS.ProcessEnv = process.env): EnvironmentProblem[] {
  const problems: EnvironmentProblem[] = [];
  const collect = (problem: EnvironmentProblem) => void problems.push(problem);
  const phoenix = readPhoenixEnvironment(collect);
  if (!given.endpoint && phoenix.endpoint !== undefined) {
    const problem = environmentEndpointProblem(phoenix.endpoint);
    if (problem) problems.push(problem);
  }
  if (!given.project) {
    const problem = environmentProjectProblem(phoenix);
    if (problem) problems.push(problem);
  }
  readBatchEnvironment(env, collect);
  readOpenInferenceEnvironment(env, collect);
  return given.project ? problems.filter((p) => !p.variable.startsWith("PHOENIX_PROJECT")) : problems;
}
