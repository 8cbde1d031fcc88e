/**
 * Destination contract cases as data: the hook calls a tenant makes, the CRM API requests they must
 * cause (in order), and the CRM's records afterwards. One driver runs every case against a real
 * simulator (test/sim) through createConnector (Node host, real fetch); each simulator has an
 * adapter saying how to seed it and read its records. Calls run one at a time, so the request
 * order is the connector's, not a race's.
 */
import type { DestinationConfig, TenantConfig } from '../../../connector/config/tenant-config.generated';
import type { SimServer } from '../../sim/server';
import type { RecordedRequest } from '../../sim/types';
import { acmeTenant } from '../../support/pipeline';
import { runConcurrently } from '../../support/pipeline';
import { startRun, type Call } from '../../support/replay-truth';
import type { HookOutcome } from '../../../connector/runtime';

/** One hook call, by the customer it is about. */
export interface CaseCall {
  hook: 'OnPassInstalled' | 'OnPassUninstalled';
  customer: string;
  pass: string;
  wallet?: 'apple' | 'google';
  /** The platform's counts after the event (default: 1 active of 1 on install, 0 of 1 on uninstall). */
  active?: number;
  total?: number;
  /** More of the platform's context (registrationSource...). */
  context?: Record<string, unknown>;
}

export const install = (customer: string, pass: string, wallet: 'apple' | 'google' = 'apple'): CaseCall => ({
  hook: 'OnPassInstalled',
  customer,
  pass,
  wallet,
});
export const uninstall = (
  customer: string,
  pass: string,
  wallet: 'apple' | 'google' = 'apple',
): CaseCall => ({
  hook: 'OnPassUninstalled',
  customer,
  pass,
  wallet,
});

/** A request the CRM must see: method, path, what its JSON body must contain, what it was answered. */
export interface CaseRequest {
  method: string;
  path: string;
  /** Query parameters it must carry (first value of each). */
  query?: Record<string, unknown>;
  json?: unknown;
  status?: number;
}

export interface ContractCase {
  name: string;
  /** Simulator options (plain data: seeded refusals, a daily allocation, missing fields...). */
  sim?: Record<string, unknown>;
  /** Destination keys on top of the adapter's (mode, events, properties...). */
  destination?: Record<string, unknown>;
  /** Secrets on top of the adapter's (a revoked token...). */
  secrets?: Record<string, string>;
  /** The CRM's records before the calls, in CRM field names. */
  before?: Array<Record<string, string>>;
  calls: CaseCall[];
  /** Make the calls all at once (one batch, with a batch wait) instead of one after the other. */
  together?: boolean;
  /** Every API request, in order (the token endpoint aside). */
  requests: CaseRequest[];
  /**
   * Every record afterwards, ordered by the key field; each lists the fields it checks. null: the
   * field is empty (absent, null or '': CRMs store a cleared field differently).
   */
  after: Array<Record<string, unknown>>;
  /**
   * What each call answered the platform, in call order: the destination's result ('written',
   * 'unchanged', 'refused:<kind>'), or 'rejected' when the call failed (the platform delivers again).
   */
  outcomes: string[];
  /** Every error log line, in order, with what each must contain (default none). */
  errors?: Array<Record<string, unknown>>;
}

export interface SimulatorAdapter<S> {
  start(options: Record<string, unknown>): Promise<S>;
  server(sim: S): SimServer;
  /** The destination's config for this simulator (id, type, baseUrl, auth, key field). */
  destination(sim: S): DestinationConfig;
  secrets(sim: S): Record<string, string>;
  seed(sim: S, record: Record<string, string>): void;
  records(sim: S): Array<Record<string, unknown>>;
  /** The record field holding the join key (records are compared in its order). */
  keyField: string;
  /** The CRM API's requests, as opposed to the token endpoint's. */
  isApi(request: RecordedRequest): boolean;
}

function hookCall(c: CaseCall): Call {
  const installed = c.hook === 'OnPassInstalled';
  const counts = Object.assign(
    {
      activeRegistrationCount: c.active ?? (installed ? 1 : 0),
      totalRegistrationCount: c.total ?? 1,
    },
    c.context ?? {},
  );
  return {
    hook: c.hook,
    args: [c.pass, 'loyalty', { customerId: c.customer }, c.wallet ?? 'apple', counts],
  };
}

/** One call's outcome in a case's words. */
function outcomeText(outcome: HookOutcome): string {
  if (outcome.result === 'refused') return `refused:${outcome.kind}`;
  const each = outcome.destinations.map((d) => (d.result === 'refused' ? `refused:${d.kind}` : d.result));
  return each.length > 0 ? each.join(',') : 'not routed';
}

/** The keys a case states: one left out (a body, a status) is not compared. */
function stated(request: CaseRequest): Partial<CaseRequest> {
  const out: Partial<CaseRequest> = {};
  for (const [name, value] of Object.entries(request))
    if (value !== undefined) (out as Record<string, unknown>)[name] = value;
  return out;
}

/** Registers one test per case. */
export function runContractCases<S>(adapter: SimulatorAdapter<S>, cases: ContractCase[]): void {
  let sims: S[] = [];
  afterEach(async () => {
    await Promise.all(sims.map((s) => adapter.server(s).close()));
    sims = [];
  });

  test.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const sim = await adapter.start(c.sim ?? {});
    sims.push(sim);
    for (const record of c.before ?? []) adapter.seed(sim, record);
    const destination = Object.assign(
      {
        route: { passTypes: ['loyalty'] },
        batch: { maxWaitMs: 1 },
        retry: { baseDelayMs: 5, maxDelayMs: 20 },
        // The read after a write belongs to the job (test/delivery/racing-writers.test.ts), and
        // 'auto' does it only in an instance that has started one call: these cases are the
        // destination's own requests.
        readBack: 'never',
      },
      adapter.destination(sim),
      c.destination ?? {},
    ) as DestinationConfig;
    const tenant: TenantConfig = acmeTenant(destination);
    const secrets = Object.assign({}, adapter.secrets(sim), c.secrets ?? {});
    // The clock starts each case at .250 of a second, so no event lands on a whole second by chance
    // (Dynamics keeps whole seconds: its redelivery case pins what a sub-second time does).
    const offset = 250 - (Date.now() % 1000);
    const run = startRun(tenant, secrets, () => Date.now() + offset);
    const outcomes: string[] = c.calls.map(() => 'rejected');
    const calls = c.calls.map((call, i) => ({ i, call: hookCall(call) }));
    try {
      await runConcurrently(calls, c.together ? calls.length : 1, async ({ i, call }) => {
        outcomes[i] = outcomeText(await run.connector.handle(call.hook, call.args));
      });
      await run.connector.idle();
    } finally {
      run.connector.stop();
    }
    expect(outcomes).toEqual(c.outcomes);
    const requests = adapter
      .server(sim)
      .requests.filter((r) => adapter.isApi(r))
      .map((r) => ({ method: r.method, path: r.path, query: r.query, json: r.json, status: r.status }));
    // The exact sequence: a missing, extra or reordered request fails, naming it.
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual(
      c.requests.map((r) => `${r.method} ${r.path}`),
    );
    // Only what a case states is compared (a body or a status left out is anything).
    expect(requests).toMatchObject(c.requests.map(stated));
    const key = adapter.keyField;
    const records = adapter
      .records(sim)
      .slice()
      .sort((a, b) => String(a[key]).localeCompare(String(b[key])))
      .map((record, i) => {
        const out = Object.assign({}, record);
        for (const name of Object.keys(c.after[i] ?? {}))
          if (out[name] === undefined || out[name] === '') out[name] = null;
        return out;
      });
    expect(records).toMatchObject(c.after);
    expect(records).toHaveLength(c.after.length);
    expect(run.logs.filter((l) => l.level === 'error')).toMatchObject(c.errors ?? []);
    // No secret of the case reaches a log line.
    for (const secret of Object.values(secrets)) expect(JSON.stringify(run.logs)).not.toContain(secret);
  });
}
