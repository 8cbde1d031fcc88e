/** connector/platform/globals.ts built against the engine-like context's lendings. */
import { hostFromGlobals, NO_HTTP_MESSAGE } from '../../connector/platform/globals';

describe('hostFromGlobals (Node globals)', () => {
  test('detects fetch, timers and console, and logs what it found as one JSON line', () => {
    const lines: string[] = [];
    const spy = jest.spyOn(console, 'info').mockImplementation((line: string) => {
      lines.push(line);
    });
    try {
      const host = hostFromGlobals(() => 'x');
      expect(host.capabilities).toEqual({ fetch: true, timers: true, console: true });
      expect(host.timers).not.toBeNull();
      expect(JSON.parse(lines[0] as string)).toMatchObject({
        level: 'info',
        capabilities: host.capabilities,
      });
    } finally {
      spy.mockRestore();
    }
  });

  test('getSecret: a throw, a rejection and an empty value all become rejections; values are redacted in logs', async () => {
    const lines: string[] = [];
    const spy = jest.spyOn(console, 'warn').mockImplementation((line: string) => {
      lines.push(line);
    });
    const info = jest.spyOn(console, 'info').mockImplementation(() => undefined);
    try {
      const table: Record<string, () => unknown> = {
        ok: () => Promise.resolve('value-1234'),
        throws: () => {
          throw new Error('leaky value-1234');
        },
        rejects: () => Promise.reject(new Error('nope')),
        empty: () => '',
      };
      const host = hostFromGlobals((name) => (table[name] as () => unknown)());
      await expect(host.getSecret('ok')).resolves.toBe('value-1234');
      for (const name of ['throws', 'rejects', 'empty', 'missing-but-throws']) {
        if (name === 'missing-but-throws') table[name] = () => undefined;
        await expect(host.getSecret(name)).rejects.toMatchObject({
          code: 'ESECRET',
          message: `Secret "${name}" is not available`,
        });
      }
      host.log({ level: 'warn', msg: 'echo', header: 'Bearer value-1234' });
      expect(lines).toEqual(['{"level":"warn","msg":"echo","header":"Bearer [redacted]"}']);
    } finally {
      spy.mockRestore();
      info.mockRestore();
    }
  });
});

test('with no fetch, registration fails with one message naming the file to adapt', () => {
  const savedFetch = globalThis.fetch;
  // The adapter reads the global when called; take it away for this call only.
  delete (globalThis as { fetch?: unknown }).fetch;
  try {
    expect(() => hostFromGlobals(() => 'x')).toThrow(NO_HTTP_MESSAGE);
  } finally {
    globalThis.fetch = savedFetch;
  }
  expect(NO_HTTP_MESSAGE).toContain('connector/platform/globals.ts');
});
