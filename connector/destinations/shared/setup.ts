/** Setup-step text the destinations share. */
import type { ResolvedDestination } from '../types';

/** One line per canonical field: the CRM name this tenant writes, and the type to create it with. */
export function fieldLines(config: ResolvedDestination, types: Record<string, string>): string[] {
  const props = config.properties as Record<string, string>;
  return Object.keys(types).map((canonical) => `  - ${props[canonical]}: ${types[canonical]}`);
}
