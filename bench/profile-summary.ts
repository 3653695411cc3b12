/**
 * Where a .cpuprofile (from `npm run bench -- --profile DIR`, or `node
 * --cpu-prof`) spends its time: the functions with the most self time, and
 * the most inclusive time, with their files. Usage:
 *
 *     npx tsx bench/profile-summary.ts FILE.cpuprofile [top=30]
 *
 * Also prints self time by area: each source file of this package, each
 * package under node_modules, Node's own modules, the garbage collector,
 * and V8 builtins (JSON.stringify shows up as self time of its caller).
 */
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg] = process.argv.slice(2);
if (!file) throw new Error("usage: profile-summary.ts FILE.cpuprofile [top]");
const top = Number(topArg ?? 30);
const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

const selfTime = new Map<number, number>();
let total = 0;
for (let i = 0; i < profile.samples.length; i++) {
  const delta = profile.timeDeltas[i] ?? 0;
  total += delta;
  selfTime.set(profile.samples[i]!, (selfTime.get(profile.samples[i]!) ?? 0) + delta);
}

function label(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url ? `${url.replace(/^.*\/(node_modules\/|src\/|bench\/)/, "$1")}:${lineNumber + 1}` : "";
  return `${functionName || "(anonymous)"} ${where}`.trim();
}

const self = new Map<string, number>();
const inclusive = new Map<string, number>();
for (const [id, time] of selfTime) {
  const node = byId.get(id)!;
  self.set(label(node), (self.get(label(node)) ?? 0) + time);
  // Each function counted once per stack, however deep its recursion.
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const name = label(byId.get(at)!);
    if (seen.has(name)) continue;
    seen.add(name);
    inclusive.set(name, (inclusive.get(name) ?? 0) + time);
  }
}

function print(title: string, map: Map<string, number>): void {
  console.log(`\n${title} (of ${(total / 1000).toFixed(0)} ms)`);
  for (const [name, time] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${((time / total) * 100).toFixed(1).padStart(5)} %  ${(time / 1000).toFixed(0).padStart(6)} ms  ${name}`);
  }
}

function area(node: ProfileNode): string {
  const { url, functionName } = node.callFrame;
  if (!url) return functionName.startsWith("(") ? functionName : "V8 builtins and natives";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith("node:")) return "Node.js (streams, net, timers, buffer)";
  const own = /\/(src|bench)\/(.+)$/.exec(url);
  return own ? `${own[1]}/${own[2]}` : url;
}

const areas = new Map<string, number>();
for (const [id, time] of selfTime) {
  const name = area(byId.get(id)!);
  areas.set(name, (areas.get(name) ?? 0) + time);
}

print("Self time", self);
print("Inclusive time", inclusive);
print("Self time by area", areas);
