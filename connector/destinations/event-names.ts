/**
 * The names of the events sent with `events: true`: the tenant's `eventNames`, else a default
 * ("Pass Installed" / "Pass Uninstalled" where the CRM takes free names).
 */
import type { DestinationConfig } from '../config/tenant-config.generated';
import type { EventKind } from '../domain/types';
import type { ConfigField } from './types';

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

/** The `eventNames` key, for the types with an event API; `description` says what the names are there. */
export function eventNamesField(description: string): ConfigField {
  const name = (kind: string) => ({
    type: 'string' as const,
    minLength: 1,
    maxLength: 200,
    description: `Name of the event sent for an ${kind}.`,
  });
  return {
    schema: {
      type: 'object',
      description,
      properties: { installed: name('install'), uninstalled: name('uninstall') },
      additionalProperties: false,
    },
  };
}
