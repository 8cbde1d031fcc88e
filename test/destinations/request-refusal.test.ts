/**
 * Destinations that cut a write into several requests (Salesforce collections, Braze /users/track)
 * report a request refused as a whole as `refused: 'request'` (shared/outcomes.ts perRequest); the
 * engine then writes those records one by one, so only the bad one fails. A real loopback server
 * refuses any request (400) that carries a bad record.
 */
import { startSimServer, type SimServer } from '../sim/server';
import { createConnector } from '../../connector/runtime';
import { createNodeHost } from '../../cli/node-host';
import { httpDestination } from '../../connector/destinations/http/definition';
import { chunks, perRequest, written } from '../../connector/destinations/shared/outcomes';
import type { DestinationDefinition } from '../../connector/destinations/types';
import type { TenantConfig } from '../../connector/config/tenant-config.generated';
import type { LogRecord } from '../../connector/platform/host';

let sim: SimServer;
const stored = new Set<string>();

beforeAll(async () => {
  sim = await startSimServer({
    routes: [
      {
        method: 'POST',
        pattern: '/records',
        handle(req) {
          const keys = (req.json as { keys: string[] }).keys;
          if (keys.some((k) => k.indexOf('poison') >= 0))
            return { status: 400, json: { message: 'invalid record' } };
          for (const k of keys) stored.add(k);
          return { status: 200, json: { ok: true } };
        },
      },
    ],
  });
});
afterAll(() => sim.close());

/** Writes in requests of two records, like a CRM with a small collection limit. */
const pairs: DestinationDefinition = Object.assign({}, httpDestination as DestinationDefinition, {
  defaultMode: 'writeOnly' as const,
  read: undefined,
  write: (ctx, items) =>
    perRequest(
      chunks(items, 2),
      (part) => part,
      async (part) => {
        await ctx.send({ method: 'POST', path: '/records', json: { keys: part.map((i) => i.key) } });
        return part.map((i) => written(i.key));
      },
    ),
} satisfies Partial<DestinationDefinition>);

it('a request refused as a whole fails only its bad record; the other parts stand', async () => {
  const logs: LogRecord[] = [];
  const config: TenantConfig = {
    tenantId: 't',
    joinKey: { identifiers: ['customerId'] },
    destinations: [
      {
        id: 'pairs',
        type: 'http',
        baseUrl: sim.url,
        path: '/records',
        mode: 'writeOnly',
        auth: { scheme: 'bearer', tokenSecret: 'tok' },
        batch: { maxSize: 10, maxWaitMs: 20 },
        rateLimit: { requests: 1000, intervalMs: 1000, maxConcurrent: 4 },
      },
    ],
  };
  const host = createNodeHost({ secrets: { tok: 'token-abcdef' }, log: (r) => logs.push(r) });
  const connector = createConnector({ config, host, definitions: { http: pairs } });
  const customers = ['a', 'b', 'c', 'poison', 'e', 'f'];
  await Promise.all(
    customers.map((c) =>
      connector.handle('OnPassInstalled', [`p-${c}`, 'loyalty', { customerId: c }, 'apple', {}]),
    ),
  );
  expect([...stored].sort()).toEqual(['a', 'b', 'c', 'e', 'f']);
  const errors = logs.filter((l) => l.level === 'error');
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatchObject({
    passId: 'p-poison',
    destination: 'pairs',
    kind: 'permanent',
    status: 400,
  });
  connector.stop();
});
