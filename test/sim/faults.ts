/**
 * Fault injection: what a flaky CRM or network does to a request that the rate limiter let through.
 * A plan is a function, one rule or a list of rules; the first rule that fires decides the fault.
 */
import { seededUnit } from './seeded';
import type { SimRequest, SimResponse } from './types';

export type FaultAction =
  | { kind: 'status'; status: number; headers?: Record<string, string>; json?: unknown; body?: string }
  /** Drop the connection without answering (TCP RST where Node can): ECONNRESET / socket hang up. */
  | { kind: 'reset' }
  /** Answer normally, but only after ms of real time (timeouts, slow servers). */
  | { kind: 'delay'; ms: number }
  /** Never answer; the connection stays open until the client gives up or the server closes. */
  | { kind: 'hang' }
  /** A 2xx with no body at all, where the client expected results. */
  | { kind: 'empty'; status: number };

/** Shorthands: '503', 'reset', 'hang', 'delay:1500', 'empty', 'empty:204', or a FaultAction. */
export type FaultSpec = string | FaultAction;

export interface FaultRule {
  /** Which requests the rule considers; all when absent. */
  match?: (req: SimRequest) => boolean;
  /** Let the first `skip` matching requests through untouched. */
  skip?: number;
  /** Fault at most this many requests, then let everything through. */
  times?: number;
  /** Chance that a matching request is faulted, drawn deterministically from `seed`. */
  probability?: number;
  seed?: number;
  /** What identifies "the same request" for the seeded draw; default 'METHOD path'. */
  key?: (req: SimRequest) => string;
  /** One is used per faulted request: in turn, or drawn from the seed when `probability` is set. */
  kinds: FaultSpec[];
}

/** Called with each request and its 0-based index among requests that reached the fault stage. */
export type FaultFunction = (req: SimRequest, index: number) => FaultSpec | null | undefined;

export type FaultPlan = FaultFunction | FaultRule | FaultRule[];

export function parseFault(spec: FaultSpec): FaultAction {
  if (typeof spec !== 'string') return spec;
  if (/^\d{3}$/.test(spec)) return { kind: 'status', status: Number(spec) };
  if (spec === 'reset' || spec === 'hang') return { kind: spec };
  const delay = /^delay:(\d+)$/.exec(spec);
  if (delay) return { kind: 'delay', ms: Number(delay[1]) };
  const empty = /^empty(?::(2\d\d))?$/.exec(spec);
  if (empty) return { kind: 'empty', status: Number(empty[1] ?? 200) };
  throw new Error(`unknown fault '${spec}' (use e.g. '503', 'reset', 'hang', 'delay:500', 'empty:204')`);
}

/** The label recorded on RecordedRequest.fault. */
export function faultLabel(action: FaultAction): string {
  switch (action.kind) {
    case 'status':
      return String(action.status);
    case 'delay':
      return `delay:${action.ms}`;
    case 'empty':
      return `empty:${action.status}`;
    default:
      return action.kind;
  }
}

/** The answer of a 'status' fault: its own body if given, else a generic JSON error. */
export function statusFaultResponse(action: Extract<FaultAction, { kind: 'status' }>): SimResponse {
  if (action.json !== undefined || action.body !== undefined) return { ...action };
  return {
    status: action.status,
    headers: action.headers,
    json: { error: 'injected_fault', status: action.status },
  };
}

interface RuleState {
  rule: FaultRule;
  kinds: FaultAction[];
  matched: number;
  fired: number;
  /** Occurrences per key, so the n-th repeat of the same request gets its own draw. */
  seen: Map<string, number>;
}

export class FaultInjector {
  private fn: FaultFunction | null = null;
  private rules: RuleState[] = [];
  private index = 0;

  set(plan: FaultPlan | null | undefined): void {
    this.index = 0;
    this.fn = typeof plan === 'function' ? plan : null;
    const rules = !plan || typeof plan === 'function' ? [] : Array.isArray(plan) ? plan : [plan];
    this.rules = rules.map((rule) => {
      if (rule.kinds.length === 0) throw new Error('a fault rule needs at least one kind');
      if (rule.probability !== undefined && !(rule.probability >= 0 && rule.probability <= 1)) {
        throw new Error(`fault probability must be within [0, 1], got ${rule.probability}`);
      }
      return { rule, kinds: rule.kinds.map(parseFault), matched: 0, fired: 0, seen: new Map() };
    });
  }

  pick(req: SimRequest): FaultAction | null {
    const index = this.index++;
    if (this.fn) {
      const spec = this.fn(req, index);
      return spec ? parseFault(spec) : null;
    }
    for (const state of this.rules) {
      const action = fire(state, req);
      if (action) return action;
    }
    return null;
  }
}

function fire(state: RuleState, req: SimRequest): FaultAction | null {
  const { rule, kinds } = state;
  if (rule.match && !rule.match(req)) return null;
  state.matched++;
  if (state.matched <= (rule.skip ?? 0)) return null;
  if (rule.times !== undefined && state.fired >= rule.times) return null;
  let kindIndex = state.fired % kinds.length;
  if (rule.probability !== undefined) {
    const key = rule.key ? rule.key(req) : `${req.method} ${req.path}`;
    const occurrence = (state.seen.get(key) ?? 0) + 1;
    state.seen.set(key, occurrence);
    const seed = rule.seed ?? 1;
    const id = `${key}#${occurrence}`;
    if (seededUnit(seed, 'fire', id) >= rule.probability) return null;
    kindIndex = Math.floor(seededUnit(seed, 'kind', id) * kinds.length);
  }
  state.fired++;
  return kinds[kindIndex] as FaultAction;
}
