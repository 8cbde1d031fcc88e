/**
 * Rate limiting for the simulators. A rule is a window (fixed or sliding) or a pause; several rules
 * can apply together (Klaviyo's burst + steady windows). A request is accepted only when every rule
 * accepts it, and only accepted requests are counted in the windows: a refused request never
 * reached the vendor's backend.
 */
import type { SimRequest, SimResponse } from './types';

export type RateLimitAnswer =
  '429-retry-after-seconds' | '429-retry-after-date' | '429-no-retry-after' | 'custom';

/** What a rule knows when it refuses (or accepts, for acceptedHeaders) a request. */
export interface RateLimitInfo {
  request: SimRequest;
  now: number;
  scope: string;
  /** Requests allowed per window (0 for a pause). */
  limit: number;
  /** Requests left in the current window after this one (0 when refused). */
  remaining: number;
  /** Clock time when a refused request could next be accepted / when the window resets. */
  resetAt: number;
  /** resetAt - now, never negative. */
  retryAfterMs: number;
}

interface RuleAnswer {
  /** How a refusal is answered; 'custom' (the default when `respond` is given) calls `respond`. */
  answer?: RateLimitAnswer;
  respond?: (info: RateLimitInfo) => SimResponse;
}

export interface WindowRule extends RuleAnswer {
  /** 'sliding' (default: the stricter reading) counts the last intervalMs; 'fixed' counts clock-aligned windows. */
  window?: 'fixed' | 'sliding';
  requests: number;
  intervalMs: number;
  /** Separate budgets per scope (per API key, per user...); one shared budget when absent. */
  scope?: (req: SimRequest) => string;
  /** Headers added to accepted answers (Braze X-RateLimit-*, Klaviyo RateLimit-*). */
  acceptedHeaders?: (info: RateLimitInfo) => Record<string, string>;
}

/** Refuses everything until the clock reaches pauseUntil (a daily cap, a maintenance window). */
export interface PauseRule extends RuleAnswer {
  pauseUntil: number;
}

export type RateLimitRule = WindowRule | PauseRule;

export interface RateLimitStats {
  accepted: number;
  refused429: number;
  /** Most requests accepted within one window of the first window rule, over every scope. */
  maxInWindow: number;
}

type Verdict = { rule: RateLimitRule; info: RateLimitInfo; refused: boolean; commit: () => void };

function isPause(rule: RateLimitRule): rule is PauseRule {
  return 'pauseUntil' in rule;
}

/** HTTP dates have whole seconds: round up so a client waiting until that date is never early. */
function httpDate(ms: number): string {
  return new Date(Math.ceil(ms / 1000) * 1000).toUTCString();
}

export function defaultRefusal(rule: RateLimitRule, info: RateLimitInfo): SimResponse {
  const answer = rule.answer ?? (rule.respond ? 'custom' : '429-retry-after-seconds');
  const json = { error: 'rate_limited', message: 'Too many requests' };
  switch (answer) {
    case 'custom':
      if (!rule.respond) throw new Error("rate limit answer 'custom' needs a respond function");
      return rule.respond(info);
    case '429-retry-after-date':
      return { status: 429, headers: { 'retry-after': httpDate(info.resetAt) }, json };
    case '429-no-retry-after':
      return { status: 429, json };
    case '429-retry-after-seconds':
      // Whole seconds, at least 1: "Retry-After: 0" would invite an immediate retry into the same window.
      return {
        status: 429,
        headers: { 'retry-after': String(Math.max(1, Math.ceil(info.retryAfterMs / 1000))) },
        json,
      };
  }
}

export class RateLimiter {
  readonly stats: RateLimitStats = { accepted: 0, refused429: 0, maxInWindow: 0 };
  private rules: RateLimitRule[] = [];
  /** Per rule, per scope: accepted timestamps (sliding) or [windowStart, count] (fixed). */
  private state = new Map<RateLimitRule, Map<string, number[]>>();

  set(rules: RateLimitRule | RateLimitRule[] | null | undefined): void {
    const list = rules ? (Array.isArray(rules) ? rules : [rules]) : [];
    for (const rule of list) validateRule(rule);
    this.rules = list;
    this.state = new Map(list.map((rule) => [rule, new Map<string, number[]>()]));
  }

  /** Returns the refusal to send, or the headers to add to the accepted answer. */
  check(request: SimRequest, now: number): { refusal: SimResponse | null; headers: Record<string, string> } {
    const verdicts = this.rules.map((rule) => this.evaluate(rule, request, now));
    const refusing = verdicts.find((v) => v.refused);
    if (refusing) {
      this.stats.refused429++;
      return { refusal: defaultRefusal(refusing.rule, refusing.info), headers: {} };
    }
    const headers: Record<string, string> = {};
    for (const v of verdicts) {
      v.commit();
      const rule = v.rule;
      if (!isPause(rule) && rule.acceptedHeaders) Object.assign(headers, rule.acceptedHeaders(v.info));
    }
    this.stats.accepted++;
    const first = verdicts.find((v) => !isPause(v.rule));
    if (first)
      this.stats.maxInWindow = Math.max(this.stats.maxInWindow, first.info.limit - first.info.remaining);
    return { refusal: null, headers };
  }

  private evaluate(rule: RateLimitRule, request: SimRequest, now: number): Verdict {
    const base = { request, now, scope: '', remaining: 0 };
    if (isPause(rule)) {
      const wait = Math.max(0, rule.pauseUntil - now);
      const info = { ...base, limit: 0, resetAt: rule.pauseUntil, retryAfterMs: wait };
      return { rule, info, refused: wait > 0, commit: () => undefined };
    }
    const scope = rule.scope ? rule.scope(request) : '';
    const scopes = this.state.get(rule) as Map<string, number[]>;
    let entry = scopes.get(scope);
    if (!entry) scopes.set(scope, (entry = []));
    return rule.window === 'fixed'
      ? fixedVerdict(rule, entry, { ...base, scope })
      : slidingVerdict(rule, entry, { ...base, scope });
  }
}

function fixedVerdict(
  rule: WindowRule,
  entry: number[],
  base: Omit<RateLimitInfo, 'limit' | 'resetAt' | 'retryAfterMs'>,
): Verdict {
  const start = Math.floor(base.now / rule.intervalMs) * rule.intervalMs;
  if (entry[0] !== start) entry.splice(0, entry.length, start, 0);
  const count = entry[1] as number;
  const refused = count >= rule.requests;
  const resetAt = start + rule.intervalMs;
  const remaining = refused ? 0 : rule.requests - count - 1;
  const info = { ...base, limit: rule.requests, remaining, resetAt, retryAfterMs: resetAt - base.now };
  return { rule, info, refused, commit: () => void (entry[1] = count + 1) };
}

function slidingVerdict(
  rule: WindowRule,
  times: number[],
  base: Omit<RateLimitInfo, 'limit' | 'resetAt' | 'retryAfterMs'>,
): Verdict {
  // A request at exactly now - intervalMs has left the window.
  while (times.length > 0 && (times[0] as number) <= base.now - rule.intervalMs) times.shift();
  const refused = times.length >= rule.requests;
  // The window frees a slot when its oldest accepted request leaves it.
  const resetAt = (times[0] ?? base.now) + rule.intervalMs;
  const remaining = refused ? 0 : rule.requests - times.length - 1;
  const info = {
    ...base,
    limit: rule.requests,
    remaining,
    resetAt,
    retryAfterMs: Math.max(0, resetAt - base.now),
  };
  return { rule, info, refused, commit: () => void times.push(base.now) };
}

function validateRule(rule: RateLimitRule): void {
  if (isPause(rule)) {
    if (!Number.isFinite(rule.pauseUntil)) throw new Error('pauseUntil must be a clock time in ms');
  } else if (!(rule.requests >= 1 && rule.intervalMs > 0)) {
    throw new Error(
      `rate limit needs requests >= 1 and intervalMs > 0, got ${rule.requests}/${rule.intervalMs}`,
    );
  }
  if (rule.answer === 'custom' && !rule.respond) throw new Error("rate limit answer 'custom' needs respond");
}

/** Most timestamps inside any half-open window [t, t + intervalMs): "did the client keep to the rate?". */
export function peakInWindow(times: readonly number[], intervalMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let peak = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while ((sorted[end] as number) - (sorted[start] as number) >= intervalMs) start++;
    peak = Math.max(peak, end - start + 1);
  }
  return peak;
}
