import { readFile, rename, rm, writeFile } from "node:fs/promises";

/** What an import has done so far, counted once per span line and annotation line of the file. */
export interface ImportCounts {
  /** Spans Phoenix stored now. */
  sent: number;
  /** Spans Phoenix already stored (an earlier import, or the original when copying onto the same server without new ids). */
  duplicates: number;
  /** Spans refused (with Phoenix's reason) or unreadable lines. */
  failed: number;
  annotationsStored: number;
  annotationsFailed: number;
}

/**
 * The progress file of an import (by default `<file>.import-progress.json`
 * beside the input): written after every chunk whose spans and annotations
 * are all settled, removed when the import completes. An interrupted import
 * run again with `resume` continues after `offset`, with the same new-id seed.
 */
export interface ImportCheckpoint {
  format: "phoenix-connector.import-progress";
  version: 1;
  /** The input file, and its size and modification time when the import started. */
  file: string;
  size: number;
  mtimeMs: number;
  /** Where the spans go. */
  destination: string;
  project: string;
  /** The seed of the new ids, or null when ids are kept. */
  seed: string | null;
  /** Byte offset and line number up to which everything is imported. */
  offset: number;
  line: number;
  counts: ImportCounts;
  updated_at: string;
}

export type CheckpointRead = { state: "none" } | { state: "unreadable" } | { state: "found"; checkpoint: ImportCheckpoint };

export async function readCheckpoint(path: string): Promise<CheckpointRead> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { state: "none" };
    throw error;
  }
  try {
    const value = JSON.parse(text) as Partial<ImportCheckpoint>;
    if (value.format === "phoenix-connector.import-progress" && value.version === 1 && typeof value.offset === "number" && value.counts) {
      return { state: "found", checkpoint: value as ImportCheckpoint };
    }
  } catch {
    // Not JSON: reported as unreadable below.
  }
  return { state: "unreadable" };
}

/** Written to a temporary file, then renamed over the old one: a crash never leaves half a progress file. */
export async function writeCheckpoint(path: string, checkpoint: ImportCheckpoint): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(checkpoint, null, 2)}\n`);
  await rename(temporary, path);
}

export async function removeCheckpoint(path: string): Promise<void> {
  await rm(path, { force: true });
}
