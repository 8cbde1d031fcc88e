/**
 * The http destination's json-e payload `template`, evaluated on { event, events, state, fields,
 * tenantId }. Its own module, so a tenant whose http destinations have no template carries neither
 * it nor json-e (the build stubs it, cli/commands/build.ts).
 */
import jsone from 'json-e';
import { ConnectorError } from '../../delivery/errors';
import type { CanonicalFields, WalletEvent } from '../../domain/types';

export interface TemplateContext {
  event: WalletEvent;
  events: WalletEvent[];
  state: CanonicalFields;
  fields: Record<string, string | null>;
  tenantId: string;
}

export function renderTemplate(template: object, context: TemplateContext, destination: string): unknown {
  try {
    return jsone(template, context as unknown as Record<string, unknown>);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ConnectorError('configuration', `payload template failed: ${message}`, { destination });
  }
}
