/**
 * What each workload mix is made of (the table in BENCHMARKS.md): spans in
 * the pool, the share of each OpenInference span kind as this package maps
 * it, source attributes and Phoenix attributes per span, and the bytes of
 * each span's Phoenix JSON. Usage: `npx tsx bench/describe-mixes.ts [seed] [pool]`.
 */
import { mapSpan } from "../src/index.js";
import { generateWorkload, MIX_NAMES } from "./workload/workload.js";

const seed = Number(process.argv[2] ?? 42);
const pool = Number(process.argv[3] ?? 1_400);
const lines = ["| mix | spans | kinds (share) | source attributes / span | Phoenix attributes / span | Phoenix JSON bytes / span (mean, max) | spans with a 1,536-dim vector |", "| --- | ---: | --- | ---: | ---: | ---: | ---: |"];
for (const mix of MIX_NAMES) {
  const { spans } = await generateWorkload(mix, pool, seed);
  const kinds = new Map<string, number>();
  let source = 0;
  let mapped = 0;
  let bytes = 0;
  let max = 0;
  let vectors = 0;
  for (const span of spans) {
    const p = mapSpan(span);
    const kind = String(p.span_kind ?? "?");
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    source += Object.keys(span.attributes).length;
    mapped += Object.keys(p.attributes ?? {}).length;
    const b = Buffer.byteLength(JSON.stringify(p));
    bytes += b;
    if (b > max) max = b;
    if (Object.values(span.attributes).some((v) => Array.isArray(v) && v.length === 1_536)) vectors++;
  }
  const n = spans.length;
  const share = [...kinds].sort((a, b) => b[1] - a[1]).map(([k, c]) => `${k} ${Math.round((c / n) * 100)} %`).join(", ");
  lines.push(`| ${mix} | ${n.toLocaleString("en-US")} | ${share} | ${(source / n).toFixed(1)} | ${(mapped / n).toFixed(1)} | ${Math.round(bytes / n).toLocaleString("en-US")}, ${max.toLocaleString("en-US")} | ${((vectors / n) * 100).toFixed(0)} % |`);
}
console.log(lines.join("\n"));
