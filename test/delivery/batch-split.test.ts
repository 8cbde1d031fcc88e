/**
 * A batch refused as a whole is retried record by record: one bad record must not fail the others.
 * The CRM here is a real loopback server with a batch endpoint that refuses a whole batch (400)
 * when any record in it is invalid, as HubSpot and Salesforce can.
 */
import { startSimServer, type SimServer } from '../sim/server';
import { createConnector } from '../../connector/runtime';
import { createNodeHost } from '../../cli/node-host';
import { httpDestination } from '../../connector/destinations/http/definition';
import { isConnectorError } from '../../connector/delivery/errors';
import type { DestinationDefinition, ItemOutcome } from '../../connector/destinations/types';
import type { TenantConfig } from '../../connector/config/tenant-config.generated';
import type { LogRecord } from '../../connector/platform/host';

let sim: SimServer;
const stored = new Map<string, unknown>();

beforeAll(async () => {
  sim = await startSimServer({
    routes: [
      {
        method: 'POST',
        pattern: '/batch',
        handle(req) {
          const records = (req.json as { records: Array<{ key: string }> }).records;
          if (records.some((r) => r.key.indexOf('poison') >= 0)) {
            return { status: 400, json: { error: 'VALIDATION_ERROR', message: 'one record is invalid' } };
          }
          for (const r of records) stored.set(r.key, r);
          return { status: 200, json: { results: records.map((r) => ({ key: r.key, ok: true })) } };
        },
      },
    ],
  });
});
afterAll(() => sim.close());

/** A batch destination: no read (write-only), one POST per batch. */
const batchDestination: DestinationDefinition = Object.assign({}, httpDestination, {
  maxBatchSize: 10,
  defaultMode: 'writeOnly' as const,
  read: undefined,
  async write(ctx, items) {
    try {
      await ctx.send({
        method: 'POST',
        path: '/batch',
        json: { records: items.map((i) => ({ key: i.key, fields: i.fields })) },
        expectJson: true,
      });
      return items.map((i): ItemOutcome => ({ key: i.key, ok: true }));
    } catch (error) {
      if (isConnectorError(error) && items.length === 1) return [{ key: items[0]!.key, ok: false, error }];
      throw error;
    }
  },
} satisfies Partial<DestinationDefinition>);

it('only the bad record fails; the others of its batch are written', async () => {
  const logs: LogRecord[] = [];
  const config: TenantConfig = {
    tenantId: 't',
    joinKey: { identifiers: ['customerId'] },
    destinations: [
      {
        id: 'batchy',
        type: 'http',
        baseUrl: sim.url,
        path: '/batch',
        mode: 'writeOnly',
        auth: { scheme: 'bearer', tokenSecret: 'tok' },
        batch: { maxSize: 10, maxWaitMs: 20 },
        rateLimit: { requests: 1000, intervalMs: 1000, maxConcurrent: 4 },
      },
    ],
  };
  const host = createNodeHost({ secrets: { tok: 'token-abcdef' }, log: (r) => logs.push(r) });
  const connector = createConnector({ config, host, definitions: { http: batchDestination } });
  const customers = ['a', 'b', 'poison', 'c', 'd'];
  const results = await Promise.all(
    customers.map((c) =>
      connector.handle('OnPassInstalled', [`p-${c}`, 'loyalty', { customerId: c }, 'apple', {}]).then(
        () => 'resolved',
        () => 'rejected',
      ),
    ),
  );
  expect(results).toEqual(['resolved', 'resolved', 'resolved', 'resolved', 'resolved']);
  expect([...stored.keys()].sort()).toEqual(['a', 'b', 'c', 'd']);
  // One batch of five was refused, then five single-record requests.
  const posts = sim.requests.map((r) => (r.json as { records: unknown[] }).records.length);
  expect(posts[0]).toBe(5);
  expect(posts.slice(1).sort()).toEqual([1, 1, 1, 1, 1]);
  const errors = logs.filter((l) => l.level === 'error');
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatchObject({
    passId: 'p-poison',
    destination: 'batchy',
    kind: 'permanent',
    status: 400,
  });
  expect(logs.some((l) => l.msg === 'batch refused as a whole, retrying record by record')).toBe(true);
  connector.stop();
});
