import { diag } from "@opentelemetry/api";

/** The stable code of the process warning an unusable setting raises (`process.on("warning")` sees it). */
export const CONFIG_WARNING = "PHOENIX_CONNECTOR_CONFIG";

/** A variable that is set but cannot be used as it is. */
export interface EnvironmentProblem {
  /** The variable, e.g. `PHOENIX_COLLECTOR_ENDPOINT`. */
  variable: string;
  /**
   * `unusable`: the value cannot be used and something else is used instead;
   * `conflict`: two variables disagree and one of them wins.
   */
  severity: "unusable" | "conflict";
  /** What is wrong, naming the variable (never a credential's value). */
  problem: string;
  /** What is used instead, e.g. `http://localhost:6006`, `the project "default"`, `no extra headers`. */
  instead: string;
  /** What to do. */
  fix: string;
}

export type ProblemReporter = (problem: EnvironmentProblem) => void;

/** The one line a problem is told in: what is wrong, what is used instead, what to do. */
export function describeProblem(problem: EnvironmentProblem): string {
  return `${problem.problem} Using ${problem.instead} instead. ${problem.fix}`;
}

interface WarningState {
  /** Variables already told as a process warning. */
  variables: Set<string>;
  /** Messages already logged through diag. */
  messages: Set<string>;
  processWarnings: boolean;
}

// Shared through globalThis: the ESM and CommonJS builds loaded in one process warn once between them.
const STATE_KEY = Symbol.for("phoenix-connector.config-warnings");
function state(): WarningState {
  const holder = globalThis as { [STATE_KEY]?: WarningState };
  return (holder[STATE_KEY] ??= { variables: new Set(), messages: new Set(), processWarnings: true });
}

/**
 * Says, where nobody may have set a `diag` logger, that a setting is not
 * used as given: through `diag.warn` (once per message), and the first time
 * per variable in this process as a Node.js process warning with the code
 * {@link CONFIG_WARNING} (printed to stderr by default).
 */
export const warnAboutProblem: ProblemReporter = (problem) => {
  const message = `phoenix-connector: ${describeProblem(problem)}`;
  const s = state();
  if (!s.messages.has(message)) {
    s.messages.add(message);
    diag.warn(message);
  }
  if (!s.processWarnings || s.variables.has(problem.variable)) return;
  s.variables.add(problem.variable);
  process.emitWarning(message, {
    code: CONFIG_WARNING,
    detail: `Later problems with ${problem.variable} in this process are logged through the OpenTelemetry diag logger only.`,
  });
};

/**
 * Turns the process warnings off (or on again) for this process: the CLI
 * prints every `diag` warning itself, so a process warning would say it twice.
 */
export function setConfigProcessWarnings(enabled: boolean): void {
  state().processWarnings = enabled;
}

/** Forgets what was warned about (tests). */
export function resetConfigWarnings(): void {
  const s = state();
  s.variables.clear();
  s.messages.clear();
  s.processWarnings = true;
}
