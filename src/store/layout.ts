import { createHash } from "node:crypto";
import { join } from "node:path";

/**
 * Where the local store keeps what (`DIR` is the `file://DIR` endpoint):
 *
 *   DIR/projects/<project>/project.json            {"name", "created_at"}
 *   DIR/projects/<project>/spans.jsonl             one Phoenix REST `Span` per line
 *   DIR/projects/<project>/span_annotations.jsonl  one Phoenix `SpanAnnotation` per line
 *   DIR/projects/<project>/trace_annotations.jsonl one Phoenix `TraceAnnotation` per line
 *
 * `<project>` is the project name with every byte other than letters,
 * digits, `_`, `-` and a non-leading `.` percent-encoded, so any name Phoenix
 * accepts is a safe directory name; very long names are shortened with a
 * hash (project.json keeps the real name).
 */
export const SPANS_FILE = "spans.jsonl";
export const PROJECT_FILE = "project.json";
export const ANNOTATION_FILES: ReadonlyMap<"span" | "trace", string> = new Map([
  ["span", "span_annotations.jsonl"],
  ["trace", "trace_annotations.jsonl"],
]);

const MAX_DIRECTORY_NAME = 200;

export function projectsDirectory(root: string): string {
  return join(root, "projects");
}

export function projectDirectory(root: string, name: string): string {
  return join(projectsDirectory(root), projectDirectoryName(name));
}

export function projectDirectoryName(name: string): string {
  let out = "";
  for (const byte of Buffer.from(name, "utf8")) {
    const char = String.fromCharCode(byte);
    const plain = /[A-Za-z0-9_-]/.test(char) || (char === "." && out !== "");
    out += plain ? char : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  if (out.length <= MAX_DIRECTORY_NAME) return out;
  const hash = createHash("sha256").update(name).digest("hex").slice(0, 16);
  return `${out.slice(0, MAX_DIRECTORY_NAME - 17)}~${hash}`;
}

/** The name a directory stands for, when project.json cannot be read (best effort). */
export function projectNameFromDirectory(directoryName: string): string {
  try {
    return decodeURIComponent(directoryName);
  } catch {
    return directoryName;
  }
}

/**
 * A local project's global id: base64 of `Project:<name>`, Phoenix's own
 * global-id form (base64 of `Type:key`) with the name as the key, since the
 * local store has no row numbers. Stable across processes and machines.
 */
export function localProjectId(name: string): string {
  return Buffer.from(`Project:${name}`, "utf8").toString("base64");
}

/** The project name inside a local project id, or undefined when `value` is not one. */
export function nameFromLocalProjectId(value: string): string | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value) || value.length % 4 !== 0) return undefined;
  const decoded = Buffer.from(value, "base64").toString("utf8");
  if (!decoded.startsWith("Project:") || localProjectId(decoded.slice(8)) !== value) return undefined;
  const name = decoded.slice(8);
  return name === "" ? undefined : name;
}
