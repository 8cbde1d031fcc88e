/** The machine a run happened on: figures mean little without it. */
import { readFileSync } from 'node:fs';
import * as os from 'node:os';

export interface Machine {
  cpus: number;
  cpuModel: string;
  node: string;
  platform: string;
  totalMemMb: number;
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => /^model name\s*:/.test(l));
    if (line) return line.replace(/^model name\s*:\s*/, '').trim();
  } catch {
    // Not Linux: os.cpus() below.
  }
  const first = os.cpus()[0];
  return first ? first.model : 'unknown';
}

export function machine(): Machine {
  return {
    // What nproc prints: the CPUs this process may use.
    cpus: typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length,
    cpuModel: cpuModel(),
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    totalMemMb: Math.round(os.totalmem() / 1048576),
  };
}
