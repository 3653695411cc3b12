import type { FaultAction, FaultContext, FaultRule } from "./phoenix-server.js";

/**
 * Fault rules for the Phoenix test server (pushed onto `server.faults`).
 * Each applies to span deliveries only (the REST create-spans route and
 * OTLP /v1/traces), so reads made by a test to check the outcome are not hit.
 */

export function isSpanDelivery(request: FaultContext): boolean {
  return request.method === "POST" && (request.path === "/v1/traces" || /^\/v1\/projects\/[^/]+\/spans$/.test(request.path));
}

/** Mulberry32: a small seeded PRNG, so a failing random run can be replayed by its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The n-th span delivery gets `script[n - 1]` (undefined: handled normally); later ones are handled normally. */
export function scriptedFaults(script: ReadonlyArray<FaultAction | undefined>): FaultRule {
  let n = 0;
  return (request) => (isSpanDelivery(request) ? script[n++] : undefined);
}

/** Each span delivery fails with probability `rate`, with an action drawn from `actions`; seeded, so reproducible. */
export function randomFaults(seed: number, rate: number, actions: readonly FaultAction[]): FaultRule & { injected: Map<string, number> } {
  const random = seededRandom(seed);
  const injected = new Map<string, number>();
  const rule = (request: FaultContext): FaultAction | undefined => {
    if (!isSpanDelivery(request) || random() >= rate) return undefined;
    const action = actions[Math.floor(random() * actions.length)]!;
    const name = action.kind === "respond" ? `${action.status}` : action.kind;
    injected.set(name, (injected.get(name) ?? 0) + 1);
    return action;
  };
  return Object.assign(rule, { injected });
}

/** A switchable fault: every span delivery gets `action` while `active`; counts the requests it answered. */
export function outage(action: FaultAction = { kind: "respond", status: 503, body: "Service Unavailable" }): FaultRule & {
  active: boolean;
  hits: number;
} {
  const state = { active: true, hits: 0 };
  const rule = (request: FaultContext): FaultAction | undefined => {
    if (!state.active || !isSpanDelivery(request)) return undefined;
    state.hits++;
    return action;
  };
  return Object.defineProperties(rule, {
    active: { get: () => state.active, set: (value: boolean) => (state.active = value) },
    hits: { get: () => state.hits },
  }) as FaultRule & { active: boolean; hits: number };
}
