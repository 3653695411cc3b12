import type { SeededRandom } from "./seeded-random.js";

/**
 * English-looking text of a chosen length: what prompts, retrieved chunks and
 * answers look like to a serialiser (word lengths, punctuation, an
 * occasional quote or dash outside Latin-1, which makes V8 hold the string
 * as two-byte and JSON escape it differently, as real model output does).
 */
const WORDS = (
  "the of and to in is that for it as with was on be by this are from or at an have not which but " +
  "order orders customer account refund invoice shipping delivery warehouse policy days within request " +
  "product return returns payment card balance support ticket agent escalate contract renewal price " +
  "discount subscription plan usage limit quota region europe storage backup latency service outage " +
  "incident report summary answer question context document section according please provide details " +
  "number status pending shipped delivered cancelled eligible review approved reason date time update " +
  "information available following however therefore example include including requires required"
).split(" ");

const NON_LATIN1 = ["\u2019", "\u2014", "\u201c", "\u201d", "\u2026"];

export function prose(random: SeededRandom, length: number, nonLatin1Chance = 0.3): string {
  const parts: string[] = [];
  let size = 0;
  let sentence = 0;
  const special = random.chance(nonLatin1Chance);
  while (size < length) {
    let word = random.pick(WORDS);
    if (sentence === 0) word = word[0]!.toUpperCase() + word.slice(1);
    sentence++;
    if (sentence > 6 && random.chance(0.15)) {
      word += random.chance(0.8) ? "." : "?";
      sentence = 0;
    } else if (random.chance(0.06)) {
      word += ",";
    } else if (special && random.chance(0.01)) {
      word += random.pick(NON_LATIN1);
    } else if (random.chance(0.02)) {
      word = String(random.int(1, 99_999));
    }
    parts.push(word);
    size += word.length + 1;
  }
  return parts.join(" ").slice(0, length);
}
