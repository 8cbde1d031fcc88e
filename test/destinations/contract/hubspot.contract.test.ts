/** HubSpot's contract, as cases (driver.ts) against the HubSpot simulator. */
import { HUBSPOT_TOKEN, startHubSpotSimulator, type HubSpotSimulator } from '../../sim/hubspot';
import { install, runContractCases, uninstall, type ContractCase, type SimulatorAdapter } from './driver';

const READ = '/crm/v3/objects/contacts/batch/read';
const UPSERT = '/crm/v3/objects/contacts/batch/upsert';
const EVENTS = '/events/v3/send/batch';
const TIME = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);

let seeded = 0;
const hubspot: SimulatorAdapter<HubSpotSimulator> = {
  start: (options) => startHubSpotSimulator(options),
  server: (sim) => sim.server,
  destination: (sim) => ({
    id: 'hubspot-main',
    type: 'hubspot',
    baseUrl: sim.server.url,
    auth: { scheme: 'bearer', tokenSecret: 'hubspot-token' },
    idProperty: 'customer_id',
  }),
  secrets: () => ({ 'hubspot-token': HUBSPOT_TOKEN }),
  seed(sim, properties) {
    const id = `seed-${(seeded += 1)}`;
    const at = '2026-01-01T00:00:00.000Z';
    sim.contacts.set(id, { id, properties: { ...properties }, createdAt: at, updatedAt: at });
  },
  records: (sim) => [...sim.contacts.values()].map((c) => c.properties),
  keyField: 'customer_id',
  isApi: () => true,
};

const cases: ContractCase[] = [
  {
    name: "a new customer's install: one read by customer_id, one upsert that creates the contact",
    calls: [install('c-1', 'p-1')],
    outcomes: ['written'],
    requests: [
      {
        method: 'POST',
        path: READ,
        json: { idProperty: 'customer_id', inputs: [{ id: 'c-1' }] },
      },
      {
        method: 'POST',
        path: UPSERT,
        json: {
          inputs: [
            {
              id: 'c-1',
              idProperty: 'customer_id',
              properties: {
                wallet_status: 'apple',
                apple_wallet_installed_at: TIME,
                wallet_last_event: 'installed',
              },
            },
          ],
        },
      },
    ],
    after: [
      {
        customer_id: 'c-1',
        wallet_status: 'apple',
        apple_wallet_installed_at: TIME,
        google_wallet_installed_at: null,
      },
    ],
  },
  {
    name: 'an install on the other wallet of a stored customer makes it both, keeping the first date',
    before: [
      {
        customer_id: 'c-2',
        wallet_status: 'apple',
        apple_wallet_installed_at: '2026-01-02T03:04:05.000Z',
      },
    ],
    calls: [install('c-2', 'p-2', 'google')],
    outcomes: ['written'],
    requests: [
      { method: 'POST', path: READ },
      {
        method: 'POST',
        path: UPSERT,
        json: {
          inputs: [{ id: 'c-2', properties: { wallet_status: 'both', google_wallet_installed_at: TIME } }],
        },
      },
    ],
    after: [
      {
        customer_id: 'c-2',
        wallet_status: 'both',
        apple_wallet_installed_at: '2026-01-02T03:04:05.000Z',
        google_wallet_installed_at: TIME,
      },
    ],
  },
  {
    name: "the uninstall of a customer's last pass sets none and clears the install date",
    calls: [install('c-3', 'p-3'), uninstall('c-3', 'p-3')],
    outcomes: ['written', 'written'],
    requests: [
      { method: 'POST', path: READ },
      {
        method: 'POST',
        path: UPSERT,
        json: { inputs: [{ id: 'c-3', properties: { wallet_status: 'apple' } }] },
      },
      { method: 'POST', path: READ },
      {
        method: 'POST',
        path: UPSERT,
        json: {
          inputs: [
            {
              id: 'c-3',
              properties: {
                wallet_status: 'none',
                apple_wallet_installed_at: '',
                wallet_last_event: 'uninstalled',
              },
            },
          ],
        },
      },
    ],
    after: [
      {
        customer_id: 'c-3',
        wallet_status: 'none',
        apple_wallet_installed_at: null,
        wallet_last_event: 'uninstalled',
      },
    ],
  },
  {
    name: 'a redelivered install reads and writes nothing more',
    calls: [install('c-4', 'p-4'), install('c-4', 'p-4')],
    outcomes: ['written', 'unchanged'],
    requests: [
      { method: 'POST', path: READ },
      { method: 'POST', path: UPSERT },
      { method: 'POST', path: READ },
    ],
    after: [{ customer_id: 'c-4', wallet_status: 'apple' }],
  },
  {
    // Without a read the other wallet is unknown: the status is left to the CRM's own logic.
    name: 'writeOnly: no read, one upsert of what the event alone says, without a status',
    destination: { mode: 'writeOnly' },
    calls: [install('c-5', 'p-5', 'google')],
    outcomes: ['written'],
    requests: [
      {
        method: 'POST',
        path: UPSERT,
        json: {
          inputs: [
            {
              id: 'c-5',
              idProperty: 'customer_id',
              properties: { google_wallet_installed_at: TIME, wallet_last_event: 'installed' },
            },
          ],
        },
      },
    ],
    after: [{ customer_id: 'c-5', wallet_status: null, google_wallet_installed_at: TIME }],
  },
  {
    name: 'a contact HubSpot refuses in a 207 is dropped with its reason logged; the others of its batch are written',
    sim: { rejectIds: { 'c-bad': 'Contact is blocked by a GDPR deletion' } },
    destination: { batch: { maxWaitMs: 50 } },
    together: true,
    calls: [install('c-ok-1', 'p-1'), install('c-bad', 'p-6'), install('c-ok-2', 'p-2')],
    outcomes: ['written', 'refused:permanent', 'written'],
    requests: [
      { method: 'POST', path: READ, json: { inputs: [{ id: 'c-ok-1' }, { id: 'c-bad' }, { id: 'c-ok-2' }] } },
      {
        method: 'POST',
        path: UPSERT,
        status: 207,
        json: { inputs: [{ id: 'c-ok-1' }, { id: 'c-bad' }, { id: 'c-ok-2' }] },
      },
    ],
    after: [
      { customer_id: 'c-ok-1', wallet_status: 'apple' },
      { customer_id: 'c-ok-2', wallet_status: 'apple' },
    ],
    errors: [
      {
        msg: 'event dropped',
        joinKey: 'c-bad',
        destination: 'hubspot-main',
        kind: 'permanent',
        status: 207,
        reason: expect.stringContaining('GDPR deletion'),
      },
    ],
  },
  {
    name: 'a bad token: one authentication error per event, nothing written, the token never logged',
    secrets: { 'hubspot-token': 'pat-na1-revoked' },
    calls: [install('c-7', 'p-7')],
    outcomes: ['refused:authentication'],
    requests: [{ method: 'POST', path: READ, status: 401 }],
    after: [],
    errors: [{ passId: 'p-7', destination: 'hubspot-main', kind: 'authentication', status: 401 }],
  },
  {
    name: 'a mapped property that does not exist is a configuration error naming it',
    destination: { properties: { walletStatus: 'wallet_state_typo' } },
    calls: [install('c-8', 'p-8')],
    // batch/read answers what it can (207, naming the unknown property); the upsert refuses it.
    outcomes: ['refused:configuration'],
    requests: [
      { method: 'POST', path: READ, status: 207 },
      { method: 'POST', path: UPSERT, status: 400 },
    ],
    after: [],
    errors: [{ kind: 'configuration', status: 400, reason: expect.stringContaining('wallet_state_typo') }],
  },
  {
    name: 'events on: one custom event for the contact written, with the pass and the campaign; none for a redelivery',
    destination: { events: true },
    calls: [
      {
        ...install('c-9', 'p-9', 'google'),
        context: { registrationSource: { medium: 'email', origin: 'https://b.example/?utm_source=news' } },
      },
      install('c-9', 'p-9', 'google'),
    ],
    outcomes: ['written', 'unchanged'],
    requests: [
      { method: 'POST', path: READ },
      { method: 'POST', path: UPSERT },
      {
        method: 'POST',
        path: EVENTS,
        json: {
          inputs: [
            {
              eventName: 'pass_installed',
              objectId: expect.any(String),
              properties: { pass_id: 'p-9', pass_type: 'loyalty', wallet: 'google', utm_source: 'news' },
            },
          ],
        },
      },
      { method: 'POST', path: READ },
    ],
    after: [{ customer_id: 'c-9', wallet_status: 'google' }],
  },
];

describe('hubspot contract cases', () => {
  runContractCases(hubspot, cases);
});
