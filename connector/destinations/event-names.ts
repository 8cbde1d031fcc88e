/**
 * The names of the events sent with `events: true`: the tenant's `eventNames`, else a default
 * ("Pass Installed" / "Pass Uninstalled" where the CRM takes free names).
 */
import type { DestinationConfig } from '../config/tenant-config.generated';
import type { EventKind } from '../domain/types';

export interface EventNames {
  installed: string;
  uninstalled: string;
}

export const DEFAULT_EVENT_NAMES: EventNames = {
  installed: 'Pass Installed',
  uninstalled: 'Pass Uninstalled',
};

export function eventNames(raw: DestinationConfig, defaults: EventNames = DEFAULT_EVENT_NAMES): EventNames {
  const named = raw.eventNames || {};
  return {
    installed: named.installed || defaults.installed,
    uninstalled: named.uninstalled || defaults.uninstalled,
  };
}

export function eventName(raw: DestinationConfig, kind: EventKind): string {
  return eventNames(raw)[kind];
}
