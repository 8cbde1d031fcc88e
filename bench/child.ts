/**
 * Child processes of the benchmark (the overhead CRM, the backlog run): forked with tsx so they run
 * the TypeScript sources, spoken to over IPC, always stopped by their own handle.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

export function forkTs(file: string, nodeFlags: string[] = []): ChildProcess {
  // execArgv is set, not inherited: under Jest the parent's flags mean nothing to the child.
  return fork(join(__dirname, file), [], {
    cwd: ROOT,
    execArgv: ['--import', 'tsx', ...nodeFlags],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/** The next IPC message of the given type, or a rejection when the child exits or time runs out. */
export function nextMessage<T>(child: ChildProcess, type: string, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => done(new Error(`no '${type}' from the child within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onMessage = (message: unknown): void => {
      const m = message as { type?: string };
      if (m && m.type === type) done(null, message as T);
    };
    const onExit = (code: number | null): void =>
      done(new Error(`the child exited (${code}) before '${type}'`));
    function done(error: Error | null, value?: T): void {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(value as T);
    }
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

/** Asks the child to stop, then ends it by its own pid if it has not exited within graceMs. */
export async function stopChild(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (child.connected) child.send({ type: 'stop' });
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
