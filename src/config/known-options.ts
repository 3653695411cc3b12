import { PhoenixConfigurationError } from "../errors.js";

/**
 * The option names of an options type, written as an object so that the
 * compiler checks the list is complete and has no extra name:
 * `optionNames<PhoenixConnectionOptions>({ endpoint: true, apiKey: true, headers: true, ca: true })`.
 */
export function optionNames<T>(names: { readonly [K in keyof Required<T>]: true }): readonly string[] {
  return Object.freeze(Object.keys(names));
}

/**
 * Refuses an options object with a name that is not an option (a misspelt
 * `endpont` would otherwise be ignored, and its value with it), naming the
 * closest known option. `where` names the receiver, e.g. `PhoenixSpanExporter`.
 * `undefined` and `null` (no options) pass; anything else that is not an
 * object is refused too.
 *
 * @throws PhoenixConfigurationError
 */
export function checkKnownOptions(where: string, options: unknown, knownNames: readonly string[]): void {
  if (options === undefined || options === null) return;
  if (typeof options !== "object" || Array.isArray(options)) {
    throw new PhoenixConfigurationError(`${where} takes an options object, not ${Array.isArray(options) ? "an array" : typeof options}.`);
  }
  const known = new Set(knownNames);
  const unknown = Object.keys(options).filter((name) => !known.has(name));
  if (unknown.length === 0) return;
  const described = unknown.map((name) => {
    const suggestion = closestName(name, knownNames);
    return suggestion === undefined ? JSON.stringify(name) : `${JSON.stringify(name)} (did you mean ${suggestion}?)`;
  });
  throw new PhoenixConfigurationError(
    `${where} has no option${unknown.length === 1 ? "" : "s"} ${described.join(", ")}. Its options are: ${[...knownNames].sort().join(", ")}.`,
  );
}

/** The known name closest to `name` by edit distance (case-insensitive, a transposition counting once), if close enough to be a slip. */
export function closestName(name: string, knownNames: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of knownNames) {
    const distance = candidate.toLowerCase() === lower ? 0 : editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  // A third of the name may be wrong (at least 1, at most 3 edits): "endpont", "apikey", "projectname" are slips; "color" is not "ca".
  const allowed = Math.min(3, Math.max(1, Math.floor(name.length / 3)));
  return bestDistance <= allowed ? best : undefined;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let prevPrev: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(prev[j]! + 1, current[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, prevPrev[j - 2]! + 1);
      current.push(value);
    }
    prevPrev = prev;
    prev = current;
  }
  return prev[b.length]!;
}
