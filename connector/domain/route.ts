/**
 * route: which destinations take an event. A missing list in a destination's `route` means "all".
 */
import type { WalletEvent } from './types';

export interface RouteRule {
  passTypes?: readonly string[];
  devices?: readonly string[];
  events?: readonly string[];
}

export function routeMatches(rule: RouteRule | undefined, event: WalletEvent): boolean {
  if (!rule) return true;
  if (rule.passTypes && rule.passTypes.indexOf(event.passType) < 0) return false;
  if (rule.devices && rule.devices.indexOf(event.wallet) < 0) return false;
  if (rule.events && rule.events.indexOf(event.kind) < 0) return false;
  return true;
}
