/**
 * Regenerates the mapping fixture corpus, test/fixtures/mapping/*.json: runs
 * every producer of test/mapping/producers (the real instrumentation
 * packages against a fake OpenAI server on 127.0.0.1, or the libraries' own
 * mock models) and writes the spans they made, each with the Phoenix kind
 * and key attributes it must map to.
 *
 *   npm run capture:fixtures            # all producers
 *   npm run capture:fixtures -- vercel-ai langsmith
 *
 * Runs on Node 22.15 or later (AI SDK 7, OpenTelemetry JS 3 and
 * @opentelemetry/instrumentation-openai 0.22 need it); it stops on an older
 * Node rather than write a partial corpus. Nothing here reaches beyond loopback.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { captureSpan } from "../test/mapping/producers/captured-span.js";
import { FIXTURE_DIR, type MappingFixture } from "../test/mapping/producers/fixture.js";
import { PRODUCERS } from "../test/mapping/producers/producers.js";
import { nodeAtLeast } from "../test/mapping/producers/record.js";

const ROOT = resolve(import.meta.dirname, "..");

function versionOf(pkg: string): string {
  const manifest = JSON.parse(readFileSync(join(ROOT, "node_modules", pkg, "package.json"), "utf8")) as { name: string; version: string };
  return manifest.name === pkg ? manifest.version : `${manifest.name}@${manifest.version}`;
}

const wanted = new Set(process.argv.slice(2));
mkdirSync(FIXTURE_DIR, { recursive: true });
for (const producer of PRODUCERS) {
  if (wanted.size > 0 && !wanted.has(producer.id)) continue;
  if (producer.node && !nodeAtLeast(producer.node.min)) {
    throw new Error(`${producer.id} needs Node >= ${producer.node.min} (${producer.node.why}); run the capture on Node 22.15 or later`);
  }
  const spans = await producer.run();
  const fixture: MappingFixture = {
    producer: producer.id,
    title: producer.title,
    how: producer.how,
    packages: Object.fromEntries(producer.packages.map((p) => [p, versionOf(p)])),
    spans: spans.map((span) => {
      const expected = producer.expect(span);
      if (!expected) throw new Error(`${producer.id}: no expectation for span "${span.name}"; add one to producers.ts`);
      return { ...captureSpan(span), expected };
    }),
  };
  writeFileSync(join(FIXTURE_DIR, `${producer.id}.json`), `${JSON.stringify(fixture, null, 2)}\n`);
  process.stdout.write(`${producer.id}: ${spans.length} spans\n`);
}
// Some instrumentations leave timers or sockets behind; the corpus is written.
process.exit(0);
