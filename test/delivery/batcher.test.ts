import {
  createBatcher,
  type BatchJob,
  type DeliveryOutcome,
  type KeyResult,
} from '../../connector/delivery/batcher';
import { ConnectorError } from '../../connector/delivery/errors';
import { normalize } from '../../connector/domain/normalize';
import type { WalletEvent } from '../../connector/domain/types';

function event(customer: string, total = 1, device: 'apple' | 'google' = 'apple'): WalletEvent {
  const r = normalize({
    hook: 'OnPassInstalled',
    args: [
      `p-${customer}`,
      'loyalty',
      { customerId: customer },
      device,
      { activeRegistrationCount: 1, totalRegistrationCount: total },
    ],
    receivedAtMs: 1000 + total,
    joinKey: { identifiers: ['customerId'] },
  });
  if (!r.ok) throw new Error(r.reason);
  return r.event;
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((res) => {
    resolve = res;
  });
  return { promise, resolve };
}

/** A job the test settles by hand, recording every batch it was given. */
function controlledJob() {
  const batches: Array<{
    keys: string[];
    events: Map<string, WalletEvent[]>;
    done: Deferred<Map<string, KeyResult>>;
  }> = [];
  const job: BatchJob = (batch) => {
    const done = deferred<Map<string, KeyResult>>();
    const keys: string[] = [];
    batch.forEach((_e, k) => keys.push(k));
    batches.push({ keys, events: batch, done });
    return done.promise;
  };
  const okAll = (i: number) => {
    const b = batches[i]!;
    const results = new Map<string, KeyResult>();
    for (const k of b.keys) results.set(k, { ok: true, wrote: true });
    b.done.resolve(results);
  };
  return { job, batches, okAll };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

/** The queue, and `submit`: one event queued, its promise settled the way a Waiter is told. */
function batcher(job: BatchJob, maxSize = 3, maxQueuedEvents = 100, maxRunningBatches?: number) {
  const queue = createBatcher({
    destination: 'd1',
    maxSize,
    maxWaitMs: 0,
    maxQueuedEvents,
    maxRunningBatches,
    timers: null,
    job,
  });
  const submit = (e: WalletEvent) =>
    new Promise<DeliveryOutcome>((resolve, reject) =>
      queue.enqueue({ joinKey: e.joinKey, event: () => e, resolve, reject }),
    );
  return { submit, idle: queue.idle };
}

describe('Batcher', () => {
  it('groups calls made together into batches of at most maxSize customers', async () => {
    const { job, batches, okAll } = controlledJob();
    const b = batcher(job, 3);
    const calls = ['a', 'b', 'c', 'd', 'e'].map((c) => b.submit(event(c)));
    await flush();
    expect(batches.map((x) => x.keys)).toEqual([
      ['a', 'b', 'c'],
      ['d', 'e'],
    ]);
    okAll(0);
    okAll(1);
    await expect(Promise.all(calls)).resolves.toHaveLength(5);
  });

  it('holds a customer’s later events until its batch is done, then folds them in order', async () => {
    const { job, batches, okAll } = controlledJob();
    const b = batcher(job, 10);
    const first = b.submit(event('a', 1));
    await flush();
    const second = b.submit(event('a', 2));
    const third = b.submit(event('a', 3));
    const other = b.submit(event('b', 1));
    await flush();
    // Only b may start while a is in flight.
    expect(batches.map((x) => x.keys)).toEqual([['a'], ['b']]);
    okAll(0);
    await first;
    await flush();
    expect(batches[2]!.keys).toEqual(['a']);
    expect(batches[2]!.events.get('a')!.map((e) => e.registration.total)).toEqual([2, 3]);
    okAll(1);
    okAll(2);
    await Promise.all([second, third, other]);
  });

  it('settles each call with its own customer’s outcome', async () => {
    const { job, batches } = controlledJob();
    const b = batcher(job, 10);
    const good = b.submit(event('good'));
    const bad = b.submit(event('bad'));
    const flaky = b.submit(event('flaky'));
    await flush();
    const results = new Map<string, KeyResult>();
    results.set('good', { ok: true, wrote: true });
    results.set('bad', {
      ok: false,
      error: new ConnectorError('permanent', 'INVALID_FIELD', { destination: 'd1', status: 400 }),
    });
    results.set('flaky', {
      ok: false,
      error: new ConnectorError('transient', 'timeout', { destination: 'd1' }),
    });
    batches[0]!.done.resolve(results);
    await expect(good).resolves.toEqual({ ok: true, destination: 'd1', wrote: true });
    await expect(bad).resolves.toMatchObject({
      ok: false,
      error: { kind: 'permanent', reason: 'INVALID_FIELD' },
    });
    await expect(flaky).rejects.toMatchObject({ kind: 'transient' });
  });

  it('fails a customer the job forgot to report, transiently', async () => {
    const { job, batches } = controlledJob();
    const b = batcher(job, 10);
    const call = b.submit(event('a'));
    await flush();
    batches[0]!.done.resolve(new Map());
    await expect(call).rejects.toMatchObject({
      kind: 'transient',
      reason: expect.stringMatching(/no outcome/),
    });
  });

  it('turns a job that throws into transient failures of every call in it', async () => {
    const b = batcher(() => {
      throw new Error('boom');
    });
    await expect(b.submit(event('a'))).rejects.toMatchObject({
      kind: 'transient',
      reason: 'unexpected failure: boom',
    });
  });

  it('refuses new events at once when the queue is full, and accepts again once it drains', async () => {
    const { job, okAll } = controlledJob();
    const b = batcher(job, 10, 2);
    const one = b.submit(event('a'));
    const two = b.submit(event('b'));
    await expect(b.submit(event('c'))).rejects.toMatchObject({
      kind: 'transient',
      reason: expect.stringMatching(/queue full/),
    });
    await flush();
    okAll(0);
    await Promise.all([one, two]);
    await b.idle();
    const again = b.submit(event('c'));
    await flush();
    okAll(1);
    await expect(again).resolves.toMatchObject({ ok: true });
  });

  it('runs at most maxRunningBatches batches at once; the rest wait as queued customers', async () => {
    const { job, batches, okAll } = controlledJob();
    const b = batcher(job, 2, 100, 2);
    const calls = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((c) => b.submit(event(c)));
    await flush();
    expect(batches.map((x) => x.keys)).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    okAll(0);
    await flush();
    expect(batches.map((x) => x.keys)).toEqual([
      ['a', 'b'],
      ['c', 'd'],
      ['e', 'f'],
    ]);
    okAll(1);
    okAll(2);
    await flush();
    expect(batches[3]!.keys).toEqual(['g']);
    okAll(3);
    await expect(Promise.all(calls)).resolves.toHaveLength(7);
  });
});
