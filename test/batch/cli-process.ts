/** Runs the real command line (bin/twc-connector.js) as a child process, as an operator would. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = join(__dirname, '..', '..', 'bin', 'twc-connector.js');

export interface CliProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** The first stdout line (serve prints its URL there once listening). */
  firstLine: Promise<string>;
  exited: Promise<number | null>;
}

export function runCli(args: string[]): CliProcess {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const firstLine = new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const newline = out.indexOf('\n');
      if (newline >= 0) resolve(out.slice(0, newline));
    });
    void exited.then((code) =>
      reject(new Error(`twc-connector exited (${code}) before printing a line:\n${err}`)),
    );
  });
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  // Not every caller waits for a first line: an early exit must not be an unhandled rejection.
  firstLine.catch(() => undefined);
  return { child, stdout: () => out, stderr: () => err, firstLine, exited };
}

/** Writes JSON files (tenant, secrets) to a fresh temporary directory; returns their paths. */
export function writeJsonFiles(files: Record<string, unknown>): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'twc-cli-'));
  const paths: Record<string, string> = {};
  for (const name of Object.keys(files)) {
    paths[name] = join(dir, `${name}.json`);
    writeFileSync(paths[name] as string, JSON.stringify(files[name]));
  }
  return paths;
}
