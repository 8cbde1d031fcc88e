import http from 'node:http';
import { startSimServer } from '../sim/server';
import type { Route } from '../sim/types';
import { failure, send } from './client';

const routes: Route[] = [{ method: 'GET', pattern: '/ok', handle: () => ({ status: 200, json: {} }) }];

describe('simulator core: close()', () => {
  it('returns with idle keep-alive connections still open, and the port stops answering', async () => {
    const sim = await startSimServer({ routes });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
    try {
      await Promise.all([1, 2, 3, 4].map(() => send(sim.url, '/ok', { agent })));
      // The agent now holds idle sockets the server would otherwise wait 5 s (keepAliveTimeout) for.
      expect(Object.values(agent.freeSockets).flat().length).toBeGreaterThan(0);
      await sim.close();
      const error = await failure(send(sim.url, '/ok'));
      expect(error.code).toBe('ECONNREFUSED');
    } finally {
      agent.destroy();
    }
  });

  it('returns while requests hang or wait on a delay; their clients see the connection end', async () => {
    const sim = await startSimServer({ routes, faults: { kinds: ['hang', 'delay:600000'] } });
    const hanging = failure(send(sim.url, '/ok'));
    const delayed = failure(send(sim.url, '/ok'));
    await untilArrived(() => sim.requests.length === 2);
    await sim.close();
    for (const error of [await hanging, await delayed]) {
      expect(error.code === 'ECONNRESET' || /socket hang up/.test(error.message)).toBe(true);
    }
    expect(sim.requests.map((r) => [r.fault, r.status, r.aborted])).toEqual([
      ['hang', null, true],
      ['delay:600000', null, true],
    ]);
  });

  it('can be called twice', async () => {
    const sim = await startSimServer({ routes });
    await sim.close();
    await expect(sim.close()).resolves.toBeUndefined();
  });
});

/** Waits for the server to have seen the requests (an event on its side), not for an amount of time. */
async function untilArrived(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setImmediate(resolve));
}
