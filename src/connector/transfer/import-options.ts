import type { ImportCounts } from "./import-checkpoint.js";

/** New ids for the copy: `true` derives them under a random seed, `{ seed }` under yours (reproducible). */
export type NewIdsOption = boolean | { seed: string };

/** How a trace file is imported, whoever imports it (`importTraces`, the CLI's `import`). */
export interface ImportFileOptions {
  /**
   * Give the copy new trace and span ids (parents and annotation targets
   * follow). Needed to copy traces onto a server that stores them already, in
   * any project: Phoenix refuses a span id it stores anywhere. `true` derives
   * them under a random seed (a new copy each run; a resumed import keeps its
   * seed); `{ seed }` under yours (the same copy each run).
   */
  newIds?: NewIdsOption;
  /** Continue an interrupted import of the file (its progress file) instead of refusing to start over. */
  resume?: boolean;
  /** Start over, replacing an interrupted import's progress file. */
  restart?: boolean;
  /** Where the progress is kept; default `<file>.import-progress.json`. */
  progressFile?: string;
  /** Spans per chunk, the unit of progress and resumption; default 500. */
  spansPerChunk?: number;
  onProgress?: (progress: ImportProgress) => void;
}

export interface ImportOptions extends ImportFileOptions {
  /** The project name to import into. */
  project: string;
}

export interface ImportProgress {
  bytesDone: number;
  bytesTotal: number;
  counts: ImportCounts;
  /** Set while spans wait for Phoenix (unreachable, refusing the key…). */
  waiting?: string;
}
