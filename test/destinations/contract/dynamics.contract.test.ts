/** Dynamics 365's contract, as cases (driver.ts) against the Dataverse environment simulator. */
import { startDynamicsSimulator, type DynamicsSimulator } from '../../sim/dynamics';
import { install, runContractCases, uninstall, type ContractCase, type SimulatorAdapter } from './driver';

const CONTACTS = '/api/data/v9.2/contacts';
const TIME = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
const row = (key: string) => `/api/data/v9.2/contacts(twc_customerid='${key}')`;

const dynamics: SimulatorAdapter<DynamicsSimulator> = {
  start: (options) => startDynamicsSimulator(options),
  server: (sim) => sim.server,
  destination: (sim) => ({
    id: 'd365',
    type: 'dynamics',
    baseUrl: sim.url,
    auth: {
      scheme: 'oauth2',
      grant: 'client_credentials',
      tokenUrl: sim.tokenUrl,
      clientIdSecret: 'd365-id',
      clientSecretSecret: 'd365-secret',
      scope: sim.scope,
    },
    externalIdField: 'twc_customerid',
  }),
  secrets: (sim) => ({ 'd365-id': sim.clientId, 'd365-secret': sim.clientSecret }),
  seed: (sim, fields) => void sim.insert(fields.twc_customerid!, fields),
  records: (sim) => [...sim.rows.values()].map((r) => r.fields),
  keyField: 'twc_customerid',
  isApi: (request) => request.path.indexOf('/api/data/') === 0,
};

const cases: ContractCase[] = [
  {
    name: "a new customer's install: one read by the alternate key, one create-only PATCH",
    calls: [install('c-1', 'p-1')],
    outcomes: ['written'],
    requests: [
      {
        method: 'GET',
        path: CONTACTS,
        query: { $filter: "twc_customerid eq 'c-1'", $select: expect.stringContaining('twc_walletstatus') },
      },
      {
        method: 'PATCH',
        path: row('c-1'),
        json: {
          twc_walletstatus: 'apple',
          twc_applewalletinstalledat: TIME,
          twc_googlewalletinstalledat: null,
          twc_walletlastevent: 'installed',
        },
        status: 204,
      },
    ],
    after: [
      {
        twc_customerid: 'c-1',
        twc_walletstatus: 'apple',
        twc_applewalletinstalledat: TIME,
        twc_googlewalletinstalledat: null,
      },
    ],
  },
  {
    name: "the uninstall of a customer's last pass sets none and clears the install date",
    calls: [install('c-3', 'p-3'), uninstall('c-3', 'p-3')],
    outcomes: ['written', 'written'],
    requests: [
      { method: 'GET', path: CONTACTS },
      { method: 'PATCH', path: row('c-3') },
      { method: 'GET', path: CONTACTS },
      {
        method: 'PATCH',
        path: row('c-3'),
        json: {
          twc_walletstatus: 'none',
          twc_applewalletinstalledat: null,
          twc_walletlastevent: 'uninstalled',
        },
      },
    ],
    after: [
      {
        twc_customerid: 'c-3',
        twc_walletstatus: 'none',
        twc_applewalletinstalledat: null,
        twc_walletlastevent: 'uninstalled',
      },
    ],
  },
  {
    // Dataverse keeps a DateTimeOffset to the second: the read-back install date is the same
    // instant at that precision (the definition's timePrecisionMs), so nothing is written again.
    name: 'a redelivered install reads again and writes nothing, though Dataverse truncated the install date',
    calls: [install('c-4', 'p-4'), install('c-4', 'p-4')],
    outcomes: ['written', 'unchanged'],
    requests: [
      { method: 'GET', path: CONTACTS },
      { method: 'PATCH', path: row('c-4') },
      { method: 'GET', path: CONTACTS },
    ],
    after: [{ twc_customerid: 'c-4', twc_walletstatus: 'apple' }],
  },
  {
    name: 'a row a business rule refuses is dropped with its reason logged; the others are written',
    sim: { validate: (key: string) => (key === 'c-bad' ? 'Contact is inactive' : null) },
    destination: { batch: { maxWaitMs: 50 } },
    together: true,
    calls: [install('c-1', 'p1'), install('c-bad', 'p2'), install('c-2', 'p3', 'google')],
    outcomes: ['written', 'refused:permanent', 'written'],
    requests: [
      { method: 'GET', path: CONTACTS },
      { method: 'PATCH', path: row('c-1') },
      { method: 'PATCH', path: row('c-bad') },
      { method: 'PATCH', path: row('c-2') },
    ],
    after: [
      { twc_customerid: 'c-1', twc_walletstatus: 'apple' },
      { twc_customerid: 'c-2', twc_walletstatus: 'google' },
    ],
    errors: [
      {
        msg: 'event dropped',
        joinKey: 'c-bad',
        kind: 'permanent',
        reason: expect.stringContaining('Contact is inactive'),
      },
    ],
  },
  {
    name: "service protection's 429 with Retry-After on the write is throttling: waited out, retried, then written",
    sim: {
      faults: {
        match: (r: { method: string }) => r.method === 'PATCH',
        times: 1,
        kinds: [
          {
            kind: 'status',
            status: 429,
            headers: { 'retry-after': '0' },
            json: {
              error: {
                code: '0x80072322',
                message: 'Number of requests exceeded the limit of 6000 over time window of 300 seconds.',
              },
            },
          },
        ],
      },
    },
    calls: [install('c-1', 'p1')],
    outcomes: ['written'],
    requests: [
      { method: 'GET', path: CONTACTS },
      { method: 'PATCH', path: row('c-1'), status: 429 },
      { method: 'PATCH', path: row('c-1'), status: 204 },
    ],
    after: [{ twc_customerid: 'c-1', twc_walletstatus: 'apple' }],
  },
];

describe('dynamics contract cases', () => {
  runContractCases(dynamics, cases);
});
