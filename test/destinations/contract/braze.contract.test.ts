/** Braze's contract, as cases (driver.ts) against the Braze workspace simulator. */
import { startBrazeSimulator, type BrazeSimulator } from '../../sim/braze';
import { install, runContractCases, uninstall, type ContractCase, type SimulatorAdapter } from './driver';

const EXPORT = '/users/export/ids';
const TRACK = '/users/track';
const TIME = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);

const braze: SimulatorAdapter<BrazeSimulator> = {
  start: (options) => startBrazeSimulator(options),
  server: (sim) => sim.server,
  destination: (sim) => ({
    id: 'braze',
    type: 'braze',
    baseUrl: sim.url,
    auth: { scheme: 'bearer', tokenSecret: 'braze-key' },
  }),
  secrets: (sim) => ({ 'braze-key': sim.apiKey }),
  seed(sim, fields) {
    const { external_id: id, ...attributes } = fields;
    sim.users.set(id!, { external_id: id!, custom_attributes: attributes, events: [] });
  },
  // A record is the user's external_id beside its custom attributes.
  records: (sim) =>
    [...sim.users.values()].map((u) => ({ external_id: u.external_id, ...u.custom_attributes })),
  keyField: 'external_id',
  isApi: () => true,
};

const cases: ContractCase[] = [
  {
    name: "a new customer's install: one export by external_id, one track that creates the user",
    calls: [install('c-1', 'p-1')],
    outcomes: ['written'],
    requests: [
      {
        method: 'POST',
        path: EXPORT,
        json: { external_ids: ['c-1'], fields_to_export: ['external_id', 'custom_attributes'] },
      },
      {
        method: 'POST',
        path: TRACK,
        json: {
          attributes: [
            {
              external_id: 'c-1',
              walletStatus: 'apple',
              appleWalletInstalledAt: TIME,
              googleWalletInstalledAt: null,
              walletLastEvent: 'installed',
            },
          ],
        },
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
    name: "the uninstall of a customer's last pass sets none and removes the install date",
    calls: [install('c-3', 'p-3'), uninstall('c-3', 'p-3')],
    outcomes: ['written', 'written'],
    requests: [
      { method: 'POST', path: EXPORT },
      { method: 'POST', path: TRACK },
      { method: 'POST', path: EXPORT },
      {
        method: 'POST',
        path: TRACK,
        json: {
          attributes: [
            {
              external_id: 'c-3',
              walletStatus: 'none',
              appleWalletInstalledAt: null,
              walletLastEvent: 'uninstalled',
            },
          ],
        },
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
      { method: 'POST', path: EXPORT },
      { method: 'POST', path: TRACK },
      { method: 'POST', path: EXPORT },
    ],
    after: [{ external_id: 'c-4', walletStatus: 'apple' }],
  },
  {
    name: 'a user Braze refuses in a partial success is dropped with its reason logged; the others of its batch are written',
    sim: {
      rejectAttributes: (a: Record<string, unknown>) =>
        a.external_id === 'c-bad' ? 'User is blacklisted' : null,
    },
    destination: { batch: { maxWaitMs: 50 } },
    together: true,
    calls: [install('c-1', 'p1'), install('c-bad', 'p2'), install('c-2', 'p3', 'google')],
    outcomes: ['written', 'refused:permanent', 'written'],
    requests: [
      { method: 'POST', path: EXPORT, json: { external_ids: ['c-1', 'c-bad', 'c-2'] } },
      {
        method: 'POST',
        path: TRACK,
        json: { attributes: [{ external_id: 'c-1' }, { external_id: 'c-bad' }, { external_id: 'c-2' }] },
      },
    ],
    after: [
      { external_id: 'c-1', walletStatus: 'apple' },
      { external_id: 'c-2', walletStatus: 'google' },
    ],
    errors: [
      {
        msg: 'event dropped',
        joinKey: 'c-bad',
        kind: 'permanent',
        reason: expect.stringContaining('User is blacklisted'),
      },
    ],
  },
  {
    // Braze says when its window resets (epoch seconds), here already past: the wait is none.
    name: 'a 429 on the export with X-RateLimit-Reset is throttling: waited out, retried, then written',
    sim: {
      faults: {
        match: (r: { path: string }) => r.path === EXPORT,
        times: 1,
        kinds: [
          {
            kind: 'status',
            status: 429,
            headers: {
              'x-ratelimit-limit': '250',
              'x-ratelimit-remaining': '0',
              'x-ratelimit-reset': '1700000000',
            },
            json: { message: 'Rate Limit Exceeded' },
          },
        ],
      },
    },
    calls: [install('c-1', 'p-1')],
    outcomes: ['written'],
    requests: [
      { method: 'POST', path: EXPORT, status: 429 },
      { method: 'POST', path: EXPORT, status: 201 },
      { method: 'POST', path: TRACK, status: 201 },
    ],
    after: [{ external_id: 'c-1', walletStatus: 'apple' }],
  },
];

describe('braze contract cases', () => {
  runContractCases(braze, cases);
});
