/**
 * From Pass API rows to per-customer truths: passes grouped by the tenant's join key (the same
 * rule as the hooks, connector/domain/join-key.ts), then, per destination, only the passes its
 * route takes. A customer's truth must list EVERY routed pass (reduceToTruth clears the ones not
 * listed), which is why the backfill reads all pages before it reconciles anyone.
 */
import { resolveJoinKey, type JoinKeyRule } from '../../connector/domain/join-key';
import type { CustomerTruth } from '../../connector/delivery/reconcile';
import type { PassTruth } from '../../connector/domain/reducer';
import type { RouteRule } from '../../connector/domain/route';
import type { PassRow } from './pass-api';

/** A pass row and when its page was read. */
export interface SpoolRow extends PassRow {
  readAtMs: number;
}

export interface Customer {
  key: string;
  joinKeyField: string;
  identifiers: Record<string, string | number | boolean>;
  passes: SpoolRow[];
}

export interface Grouped {
  customers: Map<string, Customer>;
  /** Passes with none of the join key identifiers: they name no CRM record. */
  noJoinKey: number;
}

export function groupByCustomer(rows: SpoolRow[], rule: JoinKeyRule): Grouped {
  // A page read twice (a resumed run re-reads the page it stopped in) must not list a pass twice.
  const byPass = new Map<string, SpoolRow>();
  for (const row of rows) byPass.set(row.passId, row);
  const customers = new Map<string, Customer>();
  let noJoinKey = 0;
  byPass.forEach((row) => {
    const joinKey = resolveJoinKey(row.identifiers, rule);
    if (!joinKey.ok) {
      noJoinKey++;
      return;
    }
    let customer = customers.get(joinKey.value);
    if (!customer) {
      customer = {
        key: joinKey.value,
        joinKeyField: joinKey.field,
        identifiers: row.identifiers,
        passes: [],
      };
      customers.set(joinKey.value, customer);
    }
    customer.passes.push(row);
  });
  return { customers, noJoinKey };
}

function walletTruth(ms: number | null, invalid: boolean, routed: boolean): PassTruth['apple'] {
  if (!routed || ms === null) return invalid && routed ? { installedAtMs: NaN } : null;
  return { installedAtMs: ms };
}

/** The customer's truth for one destination, or null when none of their passes is routed to it. */
export function truthFor(customer: Customer, route: RouteRule | undefined): CustomerTruth | null {
  const passes = customer.passes.filter(
    (p) => !route || !route.passTypes || route.passTypes.indexOf(p.passType) >= 0,
  );
  if (passes.length === 0) return null;
  const wallet = (w: string): boolean => !route || !route.devices || route.devices.indexOf(w) >= 0;
  const passTypes: Record<string, string> = {};
  for (const p of passes) passTypes[p.passId] = p.passType;
  return {
    key: customer.key,
    joinKeyField: customer.joinKeyField,
    identifiers: customer.identifiers,
    passTypes,
    // An unreadable date becomes a non-time, which reduceToTruth leaves as the CRM has it.
    truth: {
      passes: passes.map((p) => ({
        passId: p.passId,
        apple: walletTruth(p.apple, p.invalid.indexOf('apple') >= 0, wallet('apple')),
        google: walletTruth(p.google, p.invalid.indexOf('google') >= 0, wallet('google')),
      })),
    },
    takenAtMs: Math.min(...passes.map((p) => p.readAtMs)),
  };
}

/**
 * With --pass-type only that type's passes are read, so a destination whose route also takes other
 * types would see partial truths and clear the other passes: such destinations are skipped.
 */
export function coveredByPassType(route: RouteRule | undefined, passType: string | undefined): boolean {
  if (!passType) return true;
  return (
    !!route && !!route.passTypes && route.passTypes.length > 0 && route.passTypes.every((t) => t === passType)
  );
}
