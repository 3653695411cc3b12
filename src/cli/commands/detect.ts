import type { Command } from "commander";
import { detectHallucination } from "../../hallucination/detect.js";
import { grounding } from "../../hallucination/grounding/detector.js";
import { llmJudge } from "../../hallucination/llm-judge/detector.js";
import type { HallucinationResult } from "../../hallucination/types.js";
import { EXIT } from "../exit-codes.js";
import { probability, secondsToMillis } from "../option-parsers.js";
import type { CliContext } from "../run-cli.js";
import { CliUsageError } from "../usage-error.js";

interface DetectFlags {
  context: string;
  response: string;
  query?: string;
  threshold?: number;
  judge?: string;
  model?: string;
  judgeApiKey?: string;
  timeout?: number;
  json?: boolean;
}

/** The judge's key when not given as a flag (flags show up in the process list). */
const JUDGE_API_KEY_VARIABLE = "PHOENIX_JUDGE_API_KEY";

export function registerDetectCommand(program: Command, { output, exitWith }: CliContext): void {
  program
    .command("detect")
    .description("check whether a response is grounded in its context (offline grounding detector, or an LLM judge)")
    .requiredOption("--context <text>", "the reference text the response should be grounded in")
    .requiredOption("--response <text>", "the response to check")
    .option("--query <text>", "the question the response answers")
    .option("--threshold <score>", "score at or above which the response counts as hallucinated (default 0.5)", probability)
    .option("--judge <url>", "ask a model instead: base URL of an OpenAI-compatible API (e.g. http://localhost:6006/v1)")
    .option("--model <name>", "with --judge: the model (e.g. gpt-4o-mini, or openai:gpt-4o-mini for Phoenix)")
    .option("--judge-api-key <key>", `with --judge: its API key (default ${JUDGE_API_KEY_VARIABLE})`)
    .option("--timeout <seconds>", "with --judge: timeout of one attempt (default 30)", secondsToMillis)
    .option("--json", "print the result as JSON and exit 0 whatever the verdict")
    .addHelpText("after", "\nExit code: 0 factual, 3 hallucinated (with --json: 0 either way), 1 when the judge fails, 2 for bad usage.")
    .action(async (flags: DetectFlags) => {
      if ((flags.judge === undefined) !== (flags.model === undefined)) throw new CliUsageError("--judge and --model go together.");
      const apiKey = flags.judgeApiKey ?? (process.env[JUDGE_API_KEY_VARIABLE] || undefined);
      output.addSecret(apiKey);
      const detector =
        flags.judge !== undefined
          ? llmJudge({
              baseURL: flags.judge,
              model: flags.model!,
              ...(apiKey !== undefined ? { apiKey } : {}),
              ...(flags.timeout !== undefined ? { timeoutMs: flags.timeout } : {}),
            })
          : grounding;
      const result = await detectHallucination(
        {
          context: flags.context,
          response: flags.response,
          ...(flags.query !== undefined ? { query: flags.query } : {}),
          ...(flags.threshold !== undefined ? { threshold: flags.threshold } : {}),
        },
        detector,
      );
      if (flags.json) {
        output.out(`${JSON.stringify(result, null, 2)}\n`);
        return;
      }
      output.out(verdictText(result));
      exitWith(result.isHallucination ? EXIT.hallucinated : EXIT.ok);
    });
}

function verdictText(result: HallucinationResult): string {
  const lines = [
    `${result.label} (score ${result.score.toFixed(2)}, confidence ${result.confidence.toFixed(2)}, detector ${result.detector})`,
    result.explanation,
  ];
  if (result.unsupported.length > 0) lines.push(`unsupported: ${result.unsupported.join("; ")}`);
  return `${lines.join("\n")}\n`;
}
