/**
 * The ONE place that knows the webhook payload. The Wallet Crew has not published the body of a
 * Pass:Installed / Pass:Uninstalled delivery (twc-platform.md, unknown 13), so this shape is
 * ASSUMED, and documented in docs/webhooks.md:
 *
 *   { "event": "Pass:Installed",            (also read from "eventType", "type" or "name")
 *     "data": { "passId", "passType", "identifiers": {...},
 *               "device": "apple" | "google" (or "provider"/"wallet"),
 *               "activeRegistrationCount", "totalRegistrationCount",
 *               "registrationSource": { "tags", "medium", "origin", "userAgent" } } }
 *
 * Fields may also sit at the top level instead of under "data". When the real shape is known,
 * adapting means changing this function only: the rest of serve deals in hook calls.
 */
import type { HookName } from '../../connector/domain/types';

export type Delivery =
  | { kind: 'hook'; event: string; hook: HookName; args: unknown[] }
  | { kind: 'ignored'; event: string }
  | { kind: 'invalid'; reason: string };

const HOOKS: Record<string, HookName> = {
  'pass:installed': 'OnPassInstalled',
  'pass:uninstalled': 'OnPassUninstalled',
  // The API reference also spells events dotted and lowercase (§3.3).
  'pass.installed': 'OnPassInstalled',
  'pass.uninstalled': 'OnPassUninstalled',
};

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function first(from: Record<string, unknown>, names: string[]): unknown {
  for (const name of names) if (from[name] !== undefined) return from[name];
  return undefined;
}

export function mapDelivery(body: unknown): Delivery {
  if (!isObject(body)) return { kind: 'invalid', reason: 'the body is not a JSON object' };
  const event = first(body, ['event', 'eventType', 'type', 'name']);
  if (typeof event !== 'string' || event === '')
    return { kind: 'invalid', reason: 'the body names no event' };
  const hook = HOOKS[event.toLowerCase()];
  if (!hook) return { kind: 'ignored', event };
  const data = isObject(body.data) ? body.data : body;
  const device = first(data, ['device', 'provider', 'wallet']);
  // The fifth hook argument, in the shape normalize() reads defensively (docs/architecture.md §4).
  const additional = {
    activeRegistrationCount: data.activeRegistrationCount,
    totalRegistrationCount: data.totalRegistrationCount,
    registrationInformation: data.registrationInformation,
    registrationSource: data.registrationSource,
  };
  const args = [
    data.passId ?? data.id,
    data.passType,
    data.identifiers,
    typeof device === 'string' ? device.toLowerCase() : device,
    additional,
  ];
  return { kind: 'hook', event, hook, args };
}
