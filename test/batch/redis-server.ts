/**
 * A real Redis for the shared-limit tests: Debian's redis-server on a free loopback port, no
 * persistence. When it is not installed the test fails with the command that installs it.
 *
 * Redis cannot pick its own port (it has no "port 0"), so a port is chosen free and then handed to
 * it: another process may take it in between. A start that fails to bind is retried on a new port.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';

export interface RedisServer {
  url: string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

export const REDIS_MISSING =
  'redis-server is not installed (the shared-limit tests need a real Redis, see the README quick start): ' +
  'run `sudo apt-get update && sudo apt-get install -y redis-server` (Debian/Ubuntu) or `brew install redis` (macOS)';

const START_ATTEMPTS = 5;

export interface RedisServerOptions {
  /** Chooses the port to try; the default asks the system for a free one (tests of the retry replace it). */
  pickPort?: () => Promise<number>;
  /** The redis-server binary: REDIS_SERVER from the environment, else redis-server on the PATH. */
  command?: string;
}

export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const pickPort = options.pickPort || freePort;
  const command = options.command || process.env.REDIS_SERVER || 'redis-server';
  const found = spawnSync(command, ['--version']);
  if (found.error || found.status !== 0) throw new Error(REDIS_MISSING);
  let lastError: Error | null = null;
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
    try {
      return await startOnce(command, await pickPort());
    } catch (error) {
      lastError = error as Error;
      // Only a lost race for the port is worth another try; any other failure is reported as is.
      if (!/Address already in use|bind/i.test(lastError.message)) throw lastError;
    }
  }
  throw lastError as Error;
}

async function startOnce(command: string, port: number): Promise<RedisServer> {
  const child: ChildProcess = spawn(
    command,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  // Ready when it says so on stdout; an early exit (port taken, bad option) fails the test with its output.
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const read = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolve();
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    // 'close', not 'exit': only then has all of its output been read (the bind error among it).
    child.once('close', (code) =>
      reject(new Error(`redis-server exited (${code}) before it was ready:\n${output}`)),
    );
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
