/** Klaviyo's contract, as cases (driver.ts) against the Klaviyo simulator. */
import { KLAVIYO_KEY, startKlaviyoSimulator, type KlaviyoSimulator } from '../../sim/klaviyo';
import { install, runContractCases, uninstall, type ContractCase, type SimulatorAdapter } from './driver';

const IMPORT = '/api/profile-import';
const PROFILES = '/api/profiles';
const TIME = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

let seeded = 0;
const klaviyo: SimulatorAdapter<KlaviyoSimulator> = {
  start: (options) => startKlaviyoSimulator(options),
  server: (sim) => sim.server,
  destination: (sim) => ({
    id: 'klaviyo-main',
    type: 'klaviyo',
    baseUrl: sim.server.url,
    auth: { scheme: 'apiKey', header: 'Authorization', prefix: 'Klaviyo-API-Key ', secret: 'klaviyo-key' },
  }),
  secrets: () => ({ 'klaviyo-key': KLAVIYO_KEY }),
  seed(sim, fields) {
    const id = `01SEED${String((seeded += 1)).padStart(20, '0')}`;
    const { external_id: externalId, ...properties } = fields;
    const at = '2026-01-01T00:00:00.000Z';
    sim.profiles.set(id, { id, external_id: externalId, properties, created: at, updated: at });
  },
  // A record is the profile's external_id beside its custom properties.
  records: (sim) => [...sim.profiles.values()].map((p) => ({ external_id: p.external_id, ...p.properties })),
  keyField: 'external_id',
  isApi: () => true,
};

const cases: ContractCase[] = [
  {
    name: "a new customer's install: one read by external_id, one profile import that creates it",
    calls: [install('c-1', 'p-1')],
    outcomes: ['written'],
    requests: [
      { method: 'GET', path: PROFILES, query: { filter: 'any(external_id,["c-1"])' } },
      {
        method: 'POST',
        path: IMPORT,
        json: {
          data: {
            type: 'profile',
            attributes: {
              external_id: 'c-1',
              properties: {
                walletStatus: 'apple',
                appleWalletInstalledAt: TIME,
                googleWalletInstalledAt: null,
                walletLastEvent: 'installed',
              },
            },
          },
        },
        status: 201,
      },
    ],
    after: [
      {
        external_id: 'c-1',
        walletStatus: 'apple',
        appleWalletInstalledAt: TIME,
        googleWalletInstalledAt: null,
      },
    ],
  },
  {
    name: "the uninstall of a customer's last pass sets none and clears the install date",
    calls: [install('c-3', 'p-3'), uninstall('c-3', 'p-3')],
    outcomes: ['written', 'written'],
    requests: [
      { method: 'GET', path: PROFILES },
      { method: 'POST', path: IMPORT },
      { method: 'GET', path: PROFILES },
      {
        method: 'POST',
        path: IMPORT,
        json: {
          data: {
            attributes: {
              external_id: 'c-3',
              properties: {
                walletStatus: 'none',
                appleWalletInstalledAt: null,
                walletLastEvent: 'uninstalled',
              },
            },
          },
        },
        status: 200,
      },
    ],
    after: [
      {
        external_id: 'c-3',
        walletStatus: 'none',
        appleWalletInstalledAt: null,
        walletLastEvent: 'uninstalled',
      },
    ],
  },
  {
    name: 'a redelivered install reads and writes nothing more',
    calls: [install('c-4', 'p-4'), install('c-4', 'p-4')],
    outcomes: ['written', 'unchanged'],
    requests: [
      { method: 'GET', path: PROFILES },
      { method: 'POST', path: IMPORT },
      { method: 'GET', path: PROFILES },
    ],
    after: [{ external_id: 'c-4', walletStatus: 'apple' }],
  },
  {
    name: "a bad key: one authentication error in Klaviyo's error shape, nothing written, the key never logged",
    secrets: { 'klaviyo-key': 'pk_revoked_key' },
    calls: [install('c-7', 'p-7')],
    outcomes: ['refused:authentication'],
    requests: [{ method: 'GET', path: PROFILES, status: 401 }],
    after: [],
    errors: [
      {
        passId: 'p-7',
        destination: 'klaviyo-main',
        kind: 'authentication',
        status: 401,
        reason: expect.stringContaining('private key'),
      },
    ],
  },
  {
    name: '429 with Retry-After on the import is throttling: waited out, retried, then written',
    sim: {
      faults: {
        match: (r: { method: string }) => r.method === 'POST',
        times: 1,
        kinds: [{ kind: 'status', status: 429, headers: { 'retry-after': '0' } }],
      },
    },
    calls: [install('c-1', 'p-1')],
    outcomes: ['written'],
    requests: [
      { method: 'GET', path: PROFILES },
      { method: 'POST', path: IMPORT, status: 429 },
      { method: 'POST', path: IMPORT, status: 201 },
    ],
    after: [{ external_id: 'c-1', walletStatus: 'apple' }],
  },
];

describe('klaviyo contract cases', () => {
  runContractCases(klaviyo, cases);
});
