import { randomUUID } from "node:crypto";
import { mkdir, readFile, readdir, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { diag } from "@opentelemetry/api";
import { checkProjectName } from "../config/phoenix-config.js";
import { spanJson, type EncodedSpan, type SpanSink } from "./span-sink.js";
import type { PhoenixSpan } from "../mapping/phoenix-span.js";
import { PhoenixInputError } from "../errors.js";
import {
  annotationTargetId,
  type PhoenixAnnotationDataOf,
  type PhoenixAnnotationQuery,
  type PhoenixAnnotationTarget,
  type PhoenixAnnotationWrite,
  type PhoenixBackend,
  type PhoenixPage,
  type PhoenixProjectRef,
  type PhoenixSpanQuery,
  type PhoenixStoredAnnotationOf,
} from "./backend.js";
import { isoToMicros } from "./iso-micros.js";
import { appendLines, readLines } from "./jsonl-file.js";
import {
  ANNOTATION_FILES,
  PROJECT_FILE,
  localProjectId,
  nameFromLocalProjectId,
  projectDirectory,
  projectNameFromDirectory,
  projectsDirectory,
} from "./layout.js";
import { LocalExperimentStore } from "./experiments/local-experiments.js";
import { LocalStoreSpanSink } from "./local-span-sink.js";
import { ProjectSpanIndex } from "./span-index.js";

/** What appending one batch did: every span is counted once. */
export interface LocalAppendResult {
  stored: number;
  /** Span ids already in the store (in any project), not written again. */
  duplicates: string[];
}

const DEFAULT_PROJECT = "default";
const PROJECTS_PER_PAGE = 100;

/**
 * The local store: what a Phoenix server would hold, kept as JSON lines in a
 * directory (see layout.ts), so that the connector, the exporter, the
 * comparison and the CLI work offline exactly as they do against Phoenix.
 *
 * It behaves like Phoenix where it matters to callers: projects are listed
 * newest first and `default` always exists; a project is created by its
 * first span; a span id is stored once in the whole store, and duplicates
 * are reported; an annotation is stored only once its span (or trace) is.
 * Several processes may write to one directory at once (see jsonl-file.ts).
 */
export class LocalStore implements PhoenixBackend {
  readonly kind = "local" as const;
  readonly display: string;
  readonly directory: string;
  readonly experiments: LocalExperimentStore;
  readonly #indexes = new Map<string, ProjectSpanIndex>();
  /** Serialises this process's reads and writes, so an index is never read twice at once. */
  #queue: Promise<unknown> = Promise.resolve();
  readonly #warned = new Set<string>();

  constructor(directory: string) {
    this.directory = directory;
    this.display = pathToFileURL(directory).href;
    this.experiments = new LocalExperimentStore(directory);
  }

  listProjects(cursor?: string): Promise<PhoenixPage<PhoenixProjectRef>> {
    return this.#exclusive(async () => {
      const projects = await this.#projects();
      const refs = projects.map(({ name }) => ({ name, id: localProjectId(name) }));
      let start = 0;
      if (cursor !== undefined) {
        const index = refs.findIndex((p) => p.id === cursor);
        start = index < 0 ? refs.length : index;
      }
      const next = refs[start + PROJECTS_PER_PAGE];
      return { data: refs.slice(start, start + PROJECTS_PER_PAGE), nextCursor: next ? next.id : null };
    });
  }

  async findProject(identifier: string): Promise<PhoenixProjectRef | undefined> {
    const name = nameFromLocalProjectId(identifier) ?? identifier;
    if (name === DEFAULT_PROJECT) return { name, id: localProjectId(name) };
    try {
      await stat(join(projectDirectory(this.directory, name), PROJECT_FILE));
      return { name, id: localProjectId(name) };
    } catch {
      return undefined;
    }
  }

  async ensureProject(name: string): Promise<PhoenixProjectRef> {
    checkProjectName(name, "The project name");
    const directory = projectDirectory(this.directory, name);
    await mkdir(directory, { recursive: true });
    try {
      await writeFile(join(directory, PROJECT_FILE), `${JSON.stringify({ name, created_at: new Date().toISOString() })}\n`, {
        flag: "wx",
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    return { name, id: localProjectId(name) };
  }

  readSpans(project: string, query: PhoenixSpanQuery = {}): Promise<PhoenixPage<PhoenixSpan>> {
    return this.#exclusive(async () => {
      const name = nameFromLocalProjectId(project) ?? project;
      if (!(await this.findProject(name))) return { data: [], nextCursor: null };
      const index = this.#index(name);
      this.#warnUnreadable(index, await index.refresh(true));
      const traceIds = query.traceIds && query.traceIds.length > 0 ? new Set(query.traceIds) : undefined;
      const spanIds = query.spanIds && query.spanIds.length > 0 ? new Set(query.spanIds) : undefined;
      const start = query.start ? query.start.getTime() * 1000 : undefined;
      const end = query.end ? query.end.getTime() * 1000 : undefined;
      const all = index.spans();
      const matches: PhoenixSpan[] = [];
      // Newest first, as Phoenix answers: the file is in insertion order.
      for (let i = all.length - 1; i >= 0; i--) {
        const span = all[i]!;
        if (traceIds && !traceIds.has(span.context.trace_id)) continue;
        if (spanIds && !spanIds.has(span.context.span_id)) continue;
        if (start !== undefined || end !== undefined) {
          const micros = isoToMicros(span.start_time);
          if (start !== undefined && !(micros >= start)) continue;
          if (end !== undefined && !(micros < end)) continue;
        }
        matches.push(span);
      }
      const limit = query.limit ?? 100;
      let from = 0;
      if (query.cursor !== undefined) {
        const at = matches.findIndex((s) => s.context.span_id === query.cursor);
        from = at < 0 ? matches.length : at;
      }
      const next = matches[from + limit];
      return { data: matches.slice(from, from + limit), nextCursor: next ? next.context.span_id : null };
    });
  }

  /** Writes the spans not stored yet (in any project) as one append; reports the rest as duplicates. */
  appendSpans(project: string, spans: readonly EncodedSpan[]): Promise<LocalAppendResult> {
    return this.#exclusive(async () => {
      const name = await this.#writableProject(project);
      await this.#refreshAll(false);
      const seen = new Set<string>();
      const duplicates: string[] = [];
      const lines: string[] = [];
      for (const span of spans) {
        const id = span.spanId;
        if (seen.has(id) || this.#projectOfSpan(id) !== undefined) {
          duplicates.push(id);
          continue;
        }
        seen.add(id);
        // One span per line: JSON text from elsewhere (a spool record) is re-serialised if it spans lines.
        const json = spanJson(span);
        lines.push(/[\r\n]/.test(json) ? JSON.stringify(JSON.parse(json)) : json);
      }
      await appendLines(this.#index(name).file, lines);
      if (duplicates.length > 0) {
        diag.info(
          `phoenix-connector: ${duplicates.length} span(s) already in the local store, stored once: ${duplicates.slice(0, 5).join(", ")}${duplicates.length > 5 ? ", …" : ""}`,
        );
      }
      return { stored: lines.length, duplicates };
    });
  }

  writeAnnotations<T extends PhoenixAnnotationTarget>(
    target: T,
    annotations: ReadonlyArray<PhoenixAnnotationDataOf[T]>,
  ): Promise<PhoenixAnnotationWrite> {
    return this.#exclusive(async () => {
      if (annotations.length === 0) return { status: "stored", ids: [] } as const;
      await this.#refreshAll(false);
      const byProject = new Map<string, string[]>();
      const missing = new Set<string>();
      const ids: string[] = [];
      const now = new Date().toISOString();
      for (const annotation of annotations) {
        const targetId = annotationTargetId(target, annotation);
        const project = target === "span" ? this.#projectOfSpan(targetId) : this.#projectOfTrace(targetId);
        if (project === undefined) {
          missing.add(targetId);
          continue;
        }
        const id = Buffer.from(`${target === "span" ? "Span" : "Trace"}Annotation:${randomUUID()}`).toString("base64");
        ids.push(id);
        const stored = {
          id,
          created_at: now,
          updated_at: now,
          source: "API",
          user_id: null,
          name: annotation.name,
          annotator_kind: annotation.annotator_kind,
          result: annotation.result ?? null,
          metadata: annotation.metadata ?? {},
          identifier: annotation.identifier ?? "",
          [target === "span" ? "span_id" : "trace_id"]: targetId,
        };
        let lines = byProject.get(project);
        if (!lines) byProject.set(project, (lines = []));
        lines.push(JSON.stringify(stored));
      }
      // Like Phoenix with sync=true: one missing target and nothing is written.
      if (missing.size > 0) return { status: "missing", missingIds: [...missing] } as const;
      for (const [project, lines] of byProject) {
        await appendLines(join(projectDirectory(this.directory, project), ANNOTATION_FILES.get(target)!), lines);
      }
      return { status: "stored", ids } as const;
    });
  }

  async readAnnotations<T extends PhoenixAnnotationTarget>(
    target: T,
    project: string,
    query: PhoenixAnnotationQuery,
  ): Promise<Array<PhoenixStoredAnnotationOf[T]>> {
    const name = nameFromLocalProjectId(project) ?? project;
    const file = join(projectDirectory(this.directory, name), ANNOTATION_FILES.get(target)!);
    const read = await readLines(file);
    const ids = new Set(query.ids);
    const names = query.names && query.names.length > 0 ? new Set(query.names) : undefined;
    // Apply upserts in file order: a non-empty identifier replaces the earlier
    // annotation of the same target and name, keeping its id and creation time.
    const current: Array<PhoenixStoredAnnotationOf[T]> = [];
    const byKey = new Map<string, number>();
    for (const value of read.values) {
      if (value === null || typeof value !== "object") continue;
      const annotation = value as PhoenixStoredAnnotationOf[T];
      const targetId = annotationTargetId(target, annotation);
      if (typeof targetId !== "string" || typeof annotation.name !== "string") continue;
      if (annotation.identifier) {
        const key = `${targetId}\u0000${annotation.name}\u0000${annotation.identifier}`;
        const at = byKey.get(key);
        if (at !== undefined) {
          const earlier = current[at]!;
          current[at] = { ...annotation, id: earlier.id, created_at: earlier.created_at };
          continue;
        }
        byKey.set(key, current.length);
      }
      current.push(annotation);
    }
    return current.filter((a) => ids.has(annotationTargetId(target, a)) && (!names || names.has(a.name))).reverse();
  }

  traceUrl(project: PhoenixProjectRef, traceId: string): string {
    return `${pathToFileURL(this.#index(project.name).file).href}#trace_id=${encodeURIComponent(traceId)}`;
  }

  createSpanSink(): SpanSink {
    return new LocalStoreSpanSink(this);
  }

  async close(): Promise<void> {
    await this.#queue.catch(() => undefined);
  }

  /** Projects newest first; `default` always exists and is the oldest. */
  async #projects(): Promise<Array<{ name: string; createdAt: number }>> {
    let entries: string[] = [];
    try {
      entries = await readdir(projectsDirectory(this.directory));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    const projects: Array<{ name: string; createdAt: number }> = [];
    for (const entry of entries) {
      const directory = join(projectsDirectory(this.directory), entry);
      try {
        const text = await readFile(join(directory, PROJECT_FILE), "utf8");
        const meta = JSON.parse(text) as { name?: unknown; created_at?: unknown };
        if (typeof meta.name === "string") {
          // `default` is Phoenix's first project, so it lists last however late its directory appeared.
          const createdAt = meta.name === DEFAULT_PROJECT ? -1 : Date.parse(String(meta.created_at)) || 0;
          projects.push({ name: meta.name, createdAt });
          continue;
        }
      } catch {
        // A project whose creation was interrupted: fall back to its directory.
      }
      const info = await stat(directory).catch(() => undefined);
      if (info?.isDirectory()) projects.push({ name: projectNameFromDirectory(entry), createdAt: info.mtimeMs });
    }
    if (!projects.some((p) => p.name === DEFAULT_PROJECT)) projects.push({ name: DEFAULT_PROJECT, createdAt: -1 });
    return projects.sort((a, b) => b.createdAt - a.createdAt || (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
  }

  /** A name or local global id → the project's name, creating it by name (never by an unknown id, like Phoenix). */
  async #writableProject(identifier: string): Promise<string> {
    const fromId = nameFromLocalProjectId(identifier);
    if (fromId !== undefined) {
      if (!(await this.findProject(identifier))) {
        throw new PhoenixInputError(`The local store ${this.display} has no project with id ${identifier}.`);
      }
      return fromId;
    }
    await this.ensureProject(identifier);
    return identifier;
  }

  async #refreshAll(keepSpans: boolean): Promise<void> {
    for (const { name } of await this.#projects()) {
      const index = this.#index(name);
      this.#warnUnreadable(index, await index.refresh(keepSpans));
    }
  }

  #index(name: string): ProjectSpanIndex {
    let index = this.#indexes.get(name);
    if (!index) this.#indexes.set(name, (index = new ProjectSpanIndex(name, projectDirectory(this.directory, name))));
    return index;
  }

  #projectOfSpan(spanId: string): string | undefined {
    for (const index of this.#indexes.values()) if (index.spanIds.has(spanId)) return index.name;
    return undefined;
  }

  #projectOfTrace(traceId: string): string | undefined {
    for (const index of this.#indexes.values()) if (index.traceIds.has(traceId)) return index.name;
    return undefined;
  }

  #warnUnreadable(index: ProjectSpanIndex, count: number): void {
    if (count === 0 || this.#warned.has(index.file)) return;
    this.#warned.add(index.file);
    diag.warn(`phoenix-connector: skipped ${count} unreadable line(s) in ${index.file} (a write was interrupted); the other spans are intact.`);
  }

  #exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}
