/**
 * The backfill runs the same read-modify-write job as live events, so a batch write that one bad
 * record spoils no longer fails the whole batch: the records are tried one by one and only the bad
 * one fails. Cases as data against the HubSpot simulator (behind the Prism contract proxy) and the
 * Pass API simulator: what the CRM refuses, the requests expected, the final CRM state expected.
 */
import type { DestinationConfig, TenantConfig } from '../../connector/config/tenant-config.generated';
import { runBackfill } from '../../cli/backfill/run';
import { HUBSPOT_TOKEN, startHubSpotSimulator, type HubSpotSimulator } from '../sim/hubspot';
import { startPassApiSimulator, type PassApiSimulator } from '../sim/pass-api';
import type { SimGate } from '../sim/server';
import type { RecordedRequest, SimResponse } from '../sim/types';
import { acmeTenant } from '../support/pipeline';
import { startContractGateway, type ContractGateway } from '../support/prism';
import { tempCheckpoint } from './backfill-fixture';
import type { LogRecord } from '../../connector/platform/host';

const TWC_KEY = 'twc-secret-fallback-1';
const secrets = { 'hubspot-token': HUBSPOT_TOKEN, 'twc-api-key': TWC_KEY };
const T = (day: number): string => new Date(Date.UTC(2026, 9, day, 9)).toISOString();
const CUSTOMERS = ['c-1', 'c-2', 'c-bad', 'c-3'];

const UPSERT = '/crm/v3/objects/contacts/batch/upsert';
const READ = '/crm/v3/objects/contacts/batch/read';

function ids(r: RecordedRequest): string[] {
  const body = r.json as { inputs?: Array<{ id: string }> };
  return (body.inputs || []).map((i) => i.id).sort();
}

/** "read c-1,c-2 -> 200": what one request did, independent of arrival order within a phase. */
function describe(r: RecordedRequest): string {
  const what = r.path === READ ? 'read' : r.path === UPSERT ? 'upsert' : r.path;
  return `${what} ${ids(r).join(',')} -> ${r.status}`;
}

/** HubSpot refusing a whole batch upsert because of one of its inputs (as it does for a bad id). */
function refuseBatchesWith(id: string): SimGate {
  return (req) => {
    if (req.path !== UPSERT || ids(req).indexOf(id) < 0) return null;
    const answer: SimResponse = {
      status: 400,
      json: {
        status: 'error',
        message: `Property values were not valid: ${id}`,
        correlationId: '9b1c2d3e-0000-4000-8000-000000000001',
        category: 'VALIDATION_ERROR',
      },
    };
    return Promise.resolve(answer);
  };
}

interface Case {
  name: string;
  /** How the CRM treats the bad customer's writes. */
  crm: { gate?: SimGate; rejectIds?: Record<string, string> };
  /** Every request to the CRM, sorted (parallel single-record writes arrive in any order). */
  requests: string[];
  counts: { checked: number; repaired: number; unchanged: number; failed: number };
  fallbackLogged: boolean;
}

const GOOD = 'c-1,c-2,c-3';
// A read naming ids HubSpot does not have answers 207 (their not-found errors beside the results).
const ALL = 'c-1,c-2,c-3,c-bad';
const cases: Case[] = [
  {
    name: 'a batch refused as a whole for one record: retried record by record, only that one fails',
    crm: { gate: refuseBatchesWith('c-bad') },
    requests: [
      `read ${ALL} -> 207`,
      `upsert ${ALL} -> 400`,
      'upsert c-1 -> 200',
      'upsert c-2 -> 200',
      'upsert c-3 -> 200',
      'upsert c-bad -> 400',
      `read ${GOOD} -> 200`,
    ].sort(),
    counts: { checked: 4, repaired: 3, unchanged: 0, failed: 1 },
    fallbackLogged: true,
  },
  {
    name: 'a per-item refusal in a 207: the others of the batch are written at once',
    crm: { rejectIds: { 'c-bad': 'Property values were not valid' } },
    requests: [`read ${ALL} -> 207`, `upsert ${ALL} -> 207`, `read ${GOOD} -> 200`].sort(),
    counts: { checked: 4, repaired: 3, unchanged: 0, failed: 1 },
    fallbackLogged: false,
  },
];

let gateway: ContractGateway;
let crm: HubSpotSimulator;
let api: PassApiSimulator;

beforeAll(async () => {
  gateway = await startContractGateway([
    { spec: 'hubspot/crm-contacts-v3.json', prefixes: ['/crm/v3/objects/contacts'] },
  ]);
});
afterAll(() => gateway.close());
afterEach(async () => {
  await crm.server.close();
  await api.server.close();
});

function tenant(): TenantConfig {
  const config = acmeTenant({
    id: 'hubspot-main',
    type: 'hubspot',
    baseUrl: gateway.url,
    auth: { scheme: 'bearer', tokenSecret: 'hubspot-token' },
    idProperty: 'customer_id',
    route: { passTypes: ['loyalty'] },
    rateLimit: { requests: 1000, intervalMs: 1000, maxConcurrent: 8 },
  } as DestinationConfig);
  return Object.assign(config, { platform: { baseUrl: api.url, apiKeySecret: 'twc-api-key' } });
}

it.each(cases)('$name', async (c) => {
  crm = await startHubSpotSimulator({ rejectIds: c.crm.rejectIds });
  if (c.crm.gate) crm.server.setGate(c.crm.gate);
  gateway.setUpstream(crm.server.url);
  api = await startPassApiSimulator({
    apiKey: TWC_KEY,
    passes: CUSTOMERS.map((customerId, i) => ({
      id: `p-${customerId}`,
      passType: 'loyalty',
      identifiers: { customerId },
      providers: { apple: T(i + 1), google: null },
    })),
  });
  const logs: LogRecord[] = [];
  const summary = await runBackfill({
    config: tenant(),
    secrets,
    checkpointFile: tempCheckpoint(),
    pageSize: 10,
    log: (r) => logs.push(r),
  });

  expect(summary.interrupted).toBeNull();
  expect(summary.counts).toEqual(c.counts);
  expect(summary.failures).toEqual([
    expect.objectContaining({ destination: 'hubspot-main', key: 'c-bad', kind: 'permanent' }),
  ]);
  expect(crm.server.requests.map(describe).sort()).toEqual(c.requests);
  expect(crm.table()).toEqual([
    { key: 'c-1', walletStatus: 'apple', apple: true, google: false },
    { key: 'c-2', walletStatus: 'apple', apple: true, google: false },
    { key: 'c-3', walletStatus: 'apple', apple: true, google: false },
  ]);
  // The truth's installation times.
  const installedAt = (key: string): string | undefined =>
    [...crm.contacts.values()].find((x) => x.properties.customer_id === key)?.properties
      .apple_wallet_installed_at;
  expect(['c-1', 'c-2', 'c-3'].map(installedAt)).toEqual([T(1), T(2), T(4)]);
  expect(logs.some((l) => l.msg === 'batch refused as a whole, retrying record by record')).toBe(
    c.fallbackLogged,
  );
  expect(gateway.violations).toEqual([]);
});
