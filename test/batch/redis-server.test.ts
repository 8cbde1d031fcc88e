/**
 * The test Redis itself (issue 13): a port lost to another process between choosing it and
 * redis-server binding it is retried on a new port, and a machine without redis-server gets a
 * message naming the fix instead of a spawn error.
 */
import net from 'node:net';
import { freePort, REDIS_MISSING, startRedisServer } from './redis-server';

describe('the test Redis', () => {
  it('retries on a new port when the chosen one was taken meanwhile', async () => {
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const taken = (squatter.address() as net.AddressInfo).port;
    const ports = [taken];
    // The squatter is closed whatever happens, so a failure cannot leave Jest waiting on it.
    try {
      const redis = await startRedisServer({
        pickPort: async () => {
          const port = ports.shift() ?? (await freePort());
          return port;
        },
      });
      try {
        expect(redis.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
        expect(redis.url).not.toBe(`redis://127.0.0.1:${taken}`);
      } finally {
        await redis.stop();
      }
    } finally {
      await new Promise<void>((resolve) => squatter.close(() => resolve()));
    }
  });

  it('without redis-server, fails with the command that installs it', async () => {
    await expect(startRedisServer({ command: 'redis-server-not-installed-here' })).rejects.toThrow(
      REDIS_MISSING,
    );
    expect(REDIS_MISSING).toMatch(/apt-get install -y redis-server/);
  });
});
