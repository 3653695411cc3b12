/**
 * Names and figures a claim puts together must be put together by the
 * context. "Stanford University is located in Chestnut Hill" has both names
 * in the context, in two different sentences about two different places.
 * Each context sentence relates the claim's names and figures it mentions
 * (directly, or through a pronoun for the name before); a claim whose parts
 * do not form one connected group, even through each other, relates things
 * the context keeps apart. The question does not count: "Which one is in
 * Tennessee, A or B?" names both without relating either to Tennessee.
 */
import type { ContextSentence } from "./context-index.js";
import type { EntityMention } from "./entities.js";

export interface ClaimNode {
  /** As written in the response. */
  readonly text: string;
  readonly inSentence: (sentence: ContextSentence) => boolean;
}

/** A grounded name or figure of the response, placed by its tokens [first, last). */
export interface PlacedNode extends ClaimNode {
  readonly first: number;
  readonly last: number;
  /** Set for a name, undefined for a figure. */
  readonly entity: EntityMention | undefined;
}

export interface Disconnected {
  readonly left: ClaimNode;
  readonly right: ClaimNode;
}

function find(parent: number[], i: number): number {
  let root = i;
  while (parent[root] !== root) root = parent[root] ?? root;
  return root;
}

function union(parent: number[], a: number, b: number): void {
  const ra = find(parent, a);
  const rb = find(parent, b);
  if (ra !== rb) parent[rb] = ra;
}

/** The first pair of nodes the context never relates, directly or through the claim's other nodes. */
export function findDisconnected(nodes: readonly ClaimNode[], sentences: readonly ContextSentence[]): Disconnected | undefined {
  if (nodes.length < 2) return undefined;
  const parent = nodes.map((_, i) => i);
  const seen = new Uint8Array(nodes.length);
  for (const sentence of sentences) {
    let anchor = -1;
    nodes.forEach((node, i) => {
      if (!node.inSentence(sentence)) return;
      seen[i] = 1;
      if (anchor === -1) anchor = i;
      else union(parent, anchor, i);
    });
  }
  for (let i = 0; i < nodes.length; i++) {
    for (let j = i + 1; j < nodes.length; j++) {
      if (seen[i] !== 1 || seen[j] !== 1) continue;
      const left = nodes[i];
      const right = nodes[j];
      if (left !== undefined && right !== undefined && find(parent, i) !== find(parent, j)) return { left, right };
    }
  }
  return undefined;
}
