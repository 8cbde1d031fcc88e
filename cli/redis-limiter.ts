/**
 * Limits shared across processes (`--redis URL`): each destination limiter is a Redis-clustered
 * bottleneck (full package, datastore ioredis), so every replica of serve or backfill with the same
 * tenant config draws from ONE spacing and concurrency budget. A CRM's "wait" (429 + Retry-After) is
 * shared too: a pause-until time in Redis that every process reads before each request.
 * Clocks of the replicas are assumed to agree (NTP): the pause is an absolute time.
 */
import { createHash } from 'node:crypto';
import Bottleneck from 'bottleneck';
import Redis from 'ioredis';
import { createAdaptiveRate } from '../connector/delivery/adaptive-rate';
import { BOTTLENECK_PRIORITY, type Limiter } from '../connector/delivery/limiter';
import type { RateLimit } from '../connector/destinations/types';
import { UsageError } from './exit-codes';

/** Limiter state left in Redis expires after this long without use. */
const IDLE_EXPIRY_MS = 10 * 60 * 1000;
/** Raises the shared pause only: a shorter wait from one process must not cut another's. */
const READY_WITHIN_MS = 5000;
/** Host and port only: a redis:// URL may carry a password. */
function where(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '6379'}`;
  } catch {
    return '(an unreadable URL)';
  }
}
const RAISE_PAUSE = `local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > cur then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end
return 1`;

export interface RedisLimiters {
  factory(key: string, rate: RateLimit, destination: string): Limiter;
  /** Resolves once Redis answered (a wrong URL fails here, before any work starts). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Same key and same limits -> same id in every process. The limits are part of the id so that a
 * changed config starts a fresh budget instead of inheriting the old one's settings.
 */
export function sharedLimiterId(key: string, rate: RateLimit): string {
  const digest = createHash('sha256')
    .update(`${key}|${rate.requests}/${rate.intervalMs}/${rate.maxConcurrent}`)
    .digest('hex');
  return `twc-limiter:${digest.slice(0, 24)}`;
}

export function createRedisLimiters(url: string, now: () => number = Date.now): RedisLimiters {
  const client = new Redis(url, { maxRetriesPerRequest: 3, enableOfflineQueue: true });
  // The URL may carry a password: connection errors are reported without it.
  client.on('error', () => undefined);
  const connection = new Bottleneck.IORedisConnection({ client });
  connection.on('error', () => undefined);
  const limiters: Bottleneck[] = [];

  function factory(key: string, rate: RateLimit): Limiter {
    const id = sharedLimiterId(key, rate);
    const adaptive = createAdaptiveRate(rate);
    const bottleneck = new Bottleneck({
      id,
      datastore: 'ioredis',
      connection,
      clearDatastore: false,
      timeout: IDLE_EXPIRY_MS,
      maxConcurrent: rate.maxConcurrent,
      // Redis keeps whole milliseconds; rounding up keeps the shared rate under the limit.
      minTime: Math.ceil(adaptive.spacingMs()),
    });
    limiters.push(bottleneck);
    const pauseKey = `${id}:pause-until`;
    let localPause = 0;

    async function pausedUntil(): Promise<number> {
      const shared = Number(await client.get(pauseKey)) || 0;
      return Math.max(shared, localPause);
    }
    async function waitWhilePaused(): Promise<void> {
      for (;;) {
        const wait = (await pausedUntil()) - now();
        if (wait <= 0) return;
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
    return {
      // The pause is checked inside the slot, as the local limiter does: no request slips out after a 429.
      schedule: (job, priority = 'write') =>
        bottleneck.schedule({ priority: BOTTLENECK_PRIORITY[priority] }, () => waitWhilePaused().then(job)),
      onThrottle(untilMs, sentAtMs) {
        localPause = Math.max(localPause, untilMs);
        void client
          .eval(RAISE_PAUSE, 1, pauseKey, String(untilMs), String(Math.max(1, untilMs - now())))
          .catch(() => undefined);
        const at = now();
        if (adaptive.onThrottle(at, untilMs, sentAtMs === undefined ? at : sentAtMs)) {
          void bottleneck.updateSettings({ minTime: Math.ceil(adaptive.spacingMs()) });
        }
      },
      onSuccess() {
        if (adaptive.onSuccess(now()))
          void bottleneck.updateSettings({ minTime: Math.ceil(adaptive.spacingMs()) });
      },
      stop() {
        localPause = 0;
      },
    };
  }

  return {
    factory,
    async ready() {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(
          () => reject(new UsageError(`cannot reach Redis at ${where(url)} within ${READY_WITHIN_MS} ms`)),
          READY_WITHIN_MS,
        );
      });
      try {
        await Promise.race([Promise.resolve(connection.ready).then(() => client.ping()), late]);
      } catch (error) {
        client.disconnect();
        throw error;
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      // Limiters on a shared connection only detach from it; the connection and client close last.
      const quietly = (fn: () => unknown): Promise<unknown> =>
        Promise.resolve()
          .then(fn)
          .catch(() => undefined);
      await Promise.all(limiters.map((l) => quietly(() => l.disconnect(false))));
      await quietly(() => connection.disconnect(false));
      client.disconnect();
    },
  };
}
