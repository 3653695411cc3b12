import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, normalize, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = resolve(import.meta.dirname, "../../src");

/** The floors of docs/architecture.md: a folder imports only from folders on a lower floor (or itself). */
const FLOOR: ReadonlyMap<string, number> = new Map([
  ["errors.ts", 0],
  ["mapping", 1],
  ["privacy", 1.5], // pure like the mapping; reads the mapping's span type
  ["config", 2],
  ["http", 3],
  ["store", 3],
  ["exporter", 4],
  ["hallucination", 5],
  ["connector", 6],
  ["cli", 7],
  ["index.ts", 8],
]);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith(".ts") ? [join(dir, entry.name)] : [],
  );
}

const folderOf = (file: string) => relative(SRC, file).split("/")[0]!;

describe("src/ floors point one way", () => {
  it("no folder imports from a folder on a higher floor, and every source file stays under 400 lines", () => {
    const upward: string[] = [];
    const long: string[] = [];
    for (const file of sources(SRC)) {
      const text = readFileSync(file, "utf8");
      const lines = text.split("\n").length;
      if (lines > 400) long.push(`${relative(SRC, file)} (${lines} lines)`);
      const from = folderOf(file);
      const fromFloor = FLOOR.get(from);
      expect(fromFloor, `${from} has no floor in docs/architecture.md`).toBeDefined();
      for (const match of text.matchAll(/from\s+"(\.[^"]+)"/g)) {
        const to = folderOf(normalize(join(dirname(file), match[1]!)).replace(/\.js$/, ".ts"));
        if (to === from) continue;
        const toFloor = FLOOR.get(to);
        if (toFloor === undefined || toFloor >= fromFloor!) upward.push(`${relative(SRC, file)} → ${match[1]}`);
      }
    }
    expect(upward).toEqual([]);
    expect(long).toEqual([]);
  });
});
