import { toPhoenixValue } from "../mapping/attributes.js";
import type { PhoenixAttributeValue, PhoenixAttributes } from "../mapping/phoenix-span.js";
import { cloneAttributes } from "./attribute-masker.js";
import { REDACTED_VALUE, isOverlongBase64Image } from "./openinference-rules.js";
import { truncateText } from "./truncate-text.js";
import { cleanText, isCleanText } from "./well-formed-text.js";

export interface ValueRules {
  /** Longest string value, in characters. */
  maxValueLength: number;
  /** OpenInference's base64 image cap. */
  base64ImageMaxLength: number;
  /** Applied to every string value after the rest (the optional redactor). */
  text?: (text: string) => string;
}

/** An attribute map fit to send, and the characters it holds (keys and values), for the span size check. */
export interface CheckedAttributes {
  attributes: PhoenixAttributes;
  chars: number;
  /** Values cut to `maxValueLength`. */
  truncated: number;
}

/**
 * The one pass every span's attributes (and its events') take: every value
 * becomes one Phoenix stores as sent (a string, a finite number, a boolean,
 * or an array of one of them; anything else as JSON text, as the mapping
 * does), strings are made well-formed and cut to the cap, keys too are made
 * well-formed. Copy on write: a map that needs nothing is returned as is.
 */
export function checkAttributes(attributes: PhoenixAttributes, rules: ValueRules): CheckedAttributes {
  if (typeof attributes !== "object" || attributes === null || Array.isArray(attributes)) {
    return { attributes: Object.create(null) as PhoenixAttributes, chars: 0, truncated: 0 };
  }
  let out: PhoenixAttributes | undefined;
  let chars = 0;
  let truncated = 0;
  // Object.keys is faster than for…in over the prototype-free maps the mapping builds.
  const keys = Object.keys(attributes);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const value = attributes[key];
    let checked: PhoenixAttributeValue | undefined;
    if (typeof value === "string") {
      checked = checkString(key, value, rules);
      if (checked.length !== value.length && value.length > rules.maxValueLength) truncated++;
      chars += checked.length;
    } else if (typeof value === "number") {
      checked = Number.isFinite(value) ? value : String(value);
      chars += 24;
    } else if (typeof value === "boolean") {
      checked = value;
      chars += 5;
    } else {
      checked = checkOther(key, value, rules);
      if (checked !== undefined) chars += typeof checked === "string" ? checked.length : arrayChars(checked);
    }
    const cleanKey = KNOWN_CLEAN_KEYS.has(key) ? key : checkKey(key);
    chars += cleanKey.length + 6;
    if (checked === value && cleanKey === key) continue;
    out ??= cloneAttributes(attributes);
    if (cleanKey !== key) delete out[key];
    if (checked === undefined) delete out[cleanKey];
    else out[cleanKey] = checked;
  }
  return { attributes: out ?? attributes, chars, truncated };
}

/**
 * Keys repeat from span to span, so those found clean are remembered (a set
 * lookup costs a third of the check); bounded, and emptied when full.
 */
const KNOWN_CLEAN_KEYS = new Set<string>();
const KNOWN_CLEAN_KEYS_MAX = 10_000;

function checkKey(key: string): string {
  if (!isCleanText(key)) return cleanText(key);
  if (KNOWN_CLEAN_KEYS.size >= KNOWN_CLEAN_KEYS_MAX) KNOWN_CLEAN_KEYS.clear();
  KNOWN_CLEAN_KEYS.add(key);
  return key;
}

function checkString(key: string, value: string, rules: ValueRules): string {
  let text = value;
  if (text.length > rules.base64ImageMaxLength && isOverlongBase64Image(key, text, rules.base64ImageMaxLength)) return REDACTED_VALUE;
  if (text.length > rules.maxValueLength) text = truncateText(text, rules.maxValueLength);
  if (!isCleanText(text)) text = cleanText(text);
  if (rules.text) text = rules.text(text);
  return text;
}

/** Arrays, and values no attribute should hold (objects, null, bigint…), as the mapping converts them. */
function checkOther(key: string, value: unknown, rules: ValueRules): PhoenixAttributeValue | undefined {
  if (Array.isArray(value)) {
    const converted = toPhoenixValue(value);
    if (typeof converted === "string") return checkString(key, converted, rules);
    if (!Array.isArray(converted) || converted.length === 0 || typeof converted[0] !== "string") return converted;
    let copy: string[] | undefined;
    const items = converted as readonly string[];
    for (let i = 0; i < items.length; i++) {
      const checked = checkString(key, items[i]!, rules);
      if (checked !== items[i]) (copy ??= items.slice())[i] = checked;
    }
    return copy ?? converted;
  }
  const converted = toPhoenixValue(value);
  return typeof converted === "string" ? checkString(key, converted, rules) : converted;
}

function arrayChars(value: PhoenixAttributeValue): number {
  if (!Array.isArray(value)) return 24;
  const items = value as readonly unknown[];
  // Arrays are homogeneous by now: a number or boolean array's bound needs no loop (an embedding has 1,536 items).
  if (items.length === 0 || typeof items[0] !== "string") return 2 + 27 * items.length;
  let chars = 2;
  for (let i = 0; i < items.length; i++) chars += (items[i] as string).length + 3;
  return chars;
}
