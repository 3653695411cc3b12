/**
 * Plain-text and Markdown tables, for the comparison's terminal and
 * pull-request forms. Columns are padded to their widest cell; the first
 * column is left-aligned, the others too (values carry their own signs).
 */
export function textTable(rows: ReadonlyArray<readonly string[]>, gap = "  "): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join(gap).trimEnd());
}

export function markdownTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string[] {
  const escape = (cell: string) => cell.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
  return [
    `| ${header.map(escape).join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((row) => `| ${row.map(escape).join(" | ")} |`),
  ];
}
