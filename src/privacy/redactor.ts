import { isCardNumber } from "./luhn.js";

/**
 * Secrets and personal data in free text, each a kind and a pattern. Every
 * pattern but the e-mail one starts with a literal or a digit, so the
 * combined expression below is tried cheaply at most positions, and every
 * quantifier is bounded, so no input makes it backtrack without bound.
 *
 * Written here rather than taken from a library: secret scanners such as
 * secretlint are asynchronous linters that report findings in files (and
 * bring dozens of packages), the PII redaction packages on npm are either
 * little kept or call remote services; what is needed is one precompiled
 * expression run once over each string on the export path.
 */
const PATTERNS: ReadonlyMap<string, string> = new Map([
  ["private-key", String.raw`-----BEGIN [A-Z ]{0,40}PRIVATE KEY-----[\s\S]{0,20000}?-----END [A-Z ]{0,40}PRIVATE KEY-----`],
  ["jwt", String.raw`\beyJ[A-Za-z0-9_-]{4,4000}\.eyJ[A-Za-z0-9_-]{4,4000}\.[A-Za-z0-9_-]{4,4000}`],
  ["bearer", String.raw`\b[Bb]earer[ \t]+[A-Za-z0-9\-._~+/]{8,4000}=*`],
  [
    "api-key",
    String.raw`\b(?:sk-(?:proj-|ant-|live-|svcacct-)?[A-Za-z0-9_-]{20,400}|(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,200}|gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255}|(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}|AIza[0-9A-Za-z_-]{35}|xox[abposr]-[A-Za-z0-9-]{10,250}|glpat-[A-Za-z0-9_-]{20,100}|hf_[A-Za-z0-9]{30,100}|npm_[A-Za-z0-9]{36})\b`,
  ],
  ["aws-secret", String.raw`(?<=\b(?:aws|AWS)_?(?:secret|SECRET)_?(?:access|ACCESS)_?(?:key|KEY)["']?[ \t]{0,4}[:=][ \t]{0,4}["']?)[A-Za-z0-9/+]{40}\b`],
  ["email", String.raw`\b[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.){1,8}[A-Za-z]{2,24}\b`],
  ["card", String.raw`\b[2-6](?:[ -]?\d){12,18}\b`],
]);

const KINDS = [...PATTERNS.keys()];
const COMBINED = new RegExp([...PATTERNS.values()].map((p) => `(${p})`).join("|"), "g");

/** Quick rejection: text without a digit, `@` or any of the patterns' leading letters cannot match. */
const MAY_MATCH = /[0-9@-]|[Bb]earer|eyJ|[Ss][Kk]|_|AKIA|ASIA|ABIA|ACCA|AIza|xox/;

export interface RedactorOptions {
  /** One replacement for every kind; default `[REDACTED:<kind>]`. */
  replacement?: string;
}

/** Replaces secrets and personal data in text, in one pass of one precompiled expression. */
export class Redactor {
  readonly #replace: (match: string, ...groups: unknown[]) => string;

  constructor(options: RedactorOptions = {}) {
    const fixed = options.replacement;
    this.#replace = (match, ...groups) => {
      let kind = "secret";
      for (let i = 0; i < KINDS.length; i++) {
        if (groups[i] !== undefined) {
          kind = KINDS[i]!;
          break;
        }
      }
      if (kind === "card" && !isCardNumber(match.replace(/[ -]/g, ""))) return match;
      return fixed ?? `[REDACTED:${kind}]`;
    };
  }

  /** `text` with every match replaced; the same string when nothing matched. */
  redact(text: string): string {
    if (text.length < 8 || !MAY_MATCH.test(text)) return text;
    COMBINED.lastIndex = 0;
    return text.replace(COMBINED, this.#replace);
  }
}
