/** Salesforce's contract, as cases (driver.ts) against the Salesforce org simulator. */
import { startSalesforceSimulator, type SalesforceSimulator } from '../../sim/salesforce';
import { install, runContractCases, uninstall, type ContractCase, type SimulatorAdapter } from './driver';

const API = '/services/data/v62.0';
const QUERY = `${API}/query`;
const UPSERT = `${API}/composite/sobjects/Contact/Customer_Id__c`;
/** Salesforce's DateTime as it stores and returns it. */
const TIME = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}(Z|\+0000)$/);

const salesforce: SimulatorAdapter<SalesforceSimulator> = {
  start: (options) => startSalesforceSimulator(options),
  server: (sim) => sim.server,
  destination: (sim) => ({
    id: 'sf',
    type: 'salesforce',
    baseUrl: 'https://login.invalid',
    auth: {
      scheme: 'oauth2',
      grant: 'client_credentials',
      tokenUrl: sim.tokenUrl,
      clientIdSecret: 'sf-id',
      clientSecretSecret: 'sf-secret',
    },
    externalIdField: 'Customer_Id__c',
  }),
  secrets: (sim) => ({ 'sf-id': sim.app.clientId, 'sf-secret': sim.app.clientSecret }),
  seed: (sim, fields) => void sim.insert(fields),
  records: (sim) => sim.records.map((r) => r.fields),
  keyField: 'Customer_Id__c',
  isApi: (request) => request.path.indexOf('/services/data/') === 0,
};

const cases: ContractCase[] = [
  {
    name: "a new customer's install: one SOQL read, one collection upsert by the External ID",
    calls: [install('c-1', 'p-1')],
    outcomes: ['written'],
    requests: [
      { method: 'GET', path: QUERY },
      {
        method: 'PATCH',
        path: UPSERT,
        json: {
          allOrNone: false,
          records: [
            {
              attributes: { type: 'Contact' },
              Customer_Id__c: 'c-1',
              Wallet_Status__c: 'apple',
              Apple_Wallet_Installed_At__c: TIME,
              Wallet_Last_Event__c: 'installed',
            },
          ],
        },
      },
    ],
    after: [
      {
        Customer_Id__c: 'c-1',
        Wallet_Status__c: 'apple',
        Apple_Wallet_Installed_At__c: TIME,
        Google_Wallet_Installed_At__c: null,
      },
    ],
  },
  {
    name: 'an install on the other wallet updates the existing record (no duplicate), keeping the first date',
    before: [
      {
        Customer_Id__c: 'c-2',
        Wallet_Status__c: 'google',
        Google_Wallet_Installed_At__c: '2026-01-02T03:04:05.000+0000',
      },
    ],
    calls: [install('c-2', 'p-2', 'apple')],
    outcomes: ['written'],
    requests: [
      { method: 'GET', path: QUERY },
      {
        method: 'PATCH',
        path: UPSERT,
        json: {
          records: [{ Customer_Id__c: 'c-2', Wallet_Status__c: 'both', Apple_Wallet_Installed_At__c: TIME }],
        },
      },
    ],
    after: [
      {
        Customer_Id__c: 'c-2',
        Wallet_Status__c: 'both',
        Google_Wallet_Installed_At__c: '2026-01-02T03:04:05.000+0000',
        Apple_Wallet_Installed_At__c: TIME,
      },
    ],
  },
  {
    name: "the uninstall of a customer's last pass sets none and clears the install date",
    calls: [install('c-3', 'p-3'), uninstall('c-3', 'p-3')],
    outcomes: ['written', 'written'],
    requests: [
      { method: 'GET', path: QUERY },
      { method: 'PATCH', path: UPSERT, json: { records: [{ Wallet_Status__c: 'apple' }] } },
      { method: 'GET', path: QUERY },
      {
        method: 'PATCH',
        path: UPSERT,
        json: {
          records: [
            {
              Wallet_Status__c: 'none',
              Apple_Wallet_Installed_At__c: null,
              Wallet_Last_Event__c: 'uninstalled',
            },
          ],
        },
      },
    ],
    after: [
      {
        Customer_Id__c: 'c-3',
        Wallet_Status__c: 'none',
        Apple_Wallet_Installed_At__c: null,
        Wallet_Last_Event__c: 'uninstalled',
      },
    ],
  },
  {
    name: 'a redelivered install reads and writes nothing more',
    calls: [install('c-4', 'p-4'), install('c-4', 'p-4')],
    outcomes: ['written', 'unchanged'],
    requests: [
      { method: 'GET', path: QUERY },
      { method: 'PATCH', path: UPSERT },
      { method: 'GET', path: QUERY },
    ],
    after: [{ Customer_Id__c: 'c-4', Wallet_Status__c: 'apple' }],
  },
  {
    name: 'reads a quoted key safely (escaped in SOQL) and updates the existing record, creating none',
    before: [{ Customer_Id__c: "o'brien\\1", Wallet_Status__c: 'none' }],
    calls: [install("o'brien\\1", 'p-q')],
    outcomes: ['written'],
    requests: [
      { method: 'GET', path: QUERY, query: { q: expect.stringContaining("IN ('o\\'brien\\\\1')") } },
      {
        method: 'PATCH',
        path: UPSERT,
        json: { records: [{ Customer_Id__c: "o'brien\\1", Wallet_Status__c: 'apple' }] },
      },
    ],
    after: [{ Customer_Id__c: "o'brien\\1", Wallet_Status__c: 'apple' }],
  },
  {
    name: 'a record a validation rule refuses is dropped with its reason logged; the others of its batch are written',
    sim: {
      validate: (r: Record<string, unknown>) =>
        r.Customer_Id__c === 'c-bad' ? 'Customer is archived' : null,
    },
    destination: { batch: { maxWaitMs: 50 } },
    together: true,
    calls: [install('c-ok-1', 'p1'), install('c-bad', 'p2'), install('c-ok-2', 'p3')],
    outcomes: ['written', 'refused:permanent', 'written'],
    requests: [
      { method: 'GET', path: QUERY },
      {
        method: 'PATCH',
        path: UPSERT,
        status: 200,
        json: {
          records: [{ Customer_Id__c: 'c-ok-1' }, { Customer_Id__c: 'c-bad' }, { Customer_Id__c: 'c-ok-2' }],
        },
      },
    ],
    after: [
      { Customer_Id__c: 'c-ok-1', Wallet_Status__c: 'apple' },
      { Customer_Id__c: 'c-ok-2', Wallet_Status__c: 'apple' },
    ],
    errors: [
      {
        msg: 'event dropped',
        joinKey: 'c-bad',
        destination: 'sf',
        kind: 'permanent',
        reason: expect.stringContaining('Customer is archived'),
      },
    ],
  },
  {
    name: 'a customer whose external ID matches several records is dropped (permanent, not retried); the others are written',
    before: [
      { Customer_Id__c: 'c-dup', Wallet_Status__c: 'none' },
      { Customer_Id__c: 'c-dup', Wallet_Status__c: 'none' },
    ],
    destination: { batch: { maxWaitMs: 50 } },
    together: true,
    calls: [install('c-dup', 'p1'), install('c-2', 'p2')],
    outcomes: ['refused:permanent', 'written'],
    requests: [
      { method: 'GET', path: QUERY },
      { method: 'PATCH', path: UPSERT },
    ],
    after: [
      { Customer_Id__c: 'c-2', Wallet_Status__c: 'apple' },
      { Customer_Id__c: 'c-dup', Wallet_Status__c: 'none' },
      { Customer_Id__c: 'c-dup', Wallet_Status__c: 'none' },
    ],
    errors: [
      {
        msg: 'event dropped',
        joinKey: 'c-dup',
        reason: expect.stringContaining('several records share this external ID'),
      },
    ],
  },
  {
    name: 'REQUEST_LIMIT_EXCEEDED on a write is throttling: waited out, retried, then written',
    sim: {
      faults: {
        match: (r: { method: string }) => r.method === 'PATCH',
        times: 2,
        kinds: [
          {
            kind: 'status',
            status: 403,
            json: [
              { message: 'ConcurrentPerOrgLongTxn Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' },
            ],
          },
        ],
      },
    },
    calls: [install('c-1', 'p1')],
    outcomes: ['written'],
    requests: [
      { method: 'GET', path: QUERY },
      { method: 'PATCH', path: UPSERT, status: 403 },
      { method: 'PATCH', path: UPSERT, status: 403 },
      { method: 'PATCH', path: UPSERT, status: 200 },
    ],
    after: [{ Customer_Id__c: 'c-1', Wallet_Status__c: 'apple' }],
  },
  {
    name: "the org's daily allocation used up (403 REQUEST_LIMIT_EXCEEDED): nothing written, the platform delivers again",
    sim: { dailyLimit: 0 },
    calls: [install('c-6', 'p-6')],
    outcomes: ['rejected'],
    requests: [{ method: 'GET', path: QUERY }],
    after: [],
  },
];

describe('salesforce contract cases', () => {
  runContractCases(salesforce, cases);
});
