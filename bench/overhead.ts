/**
 * Section 2, overhead: CPU time per event spent by the connector (the BUILT bundle in the
 * engine-like context, with the fetch it is lent) against a bare axios POST per event.
 * Each connector figure is divided by the bare client on the same transport: the held one lends
 * the bundle a fetch on node:http (bench/http-fetch.ts), what bare axios uses; a second lends it
 * Node's fetch (undici), against a bare fetch POST.
 *
 * Method, to be fair to both:
 * - the CRM runs in a child process, answering at once with no limit, so this process's CPU clock
 *   (process.cpuUsage, user + system) counts only the client side;
 * - the same calls, through the same driver (16 calls in flight, like `replay`), fresh customers
 *   each round; one warm-up round each first, so both are JIT-compiled and connected;
 * - the driver's own cost (an empty run: the same driver calling a no-op hook) is subtracted;
 * - connector and bare rounds alternate, and the median round of each is reported.
 * The connector's figure includes everything it does for an event: the vm boundary, normalize,
 * route, batch, limiter, retry wrapper, the GET + PUT of read-modify-write through axios over
 * fetch, reduce and payload. Bursts fold several events of a customer into one read and one write,
 * so requests per event are reported too.
 */
import axios from 'axios';
import { loadBundle } from '../cli/build/load-bundle';
import { nodeHttpFetch } from './http-fetch';
import type { Hooks } from './burst';
import type { BenchConfig } from './config';
import { median, round } from './stats';
import { passTypeOf, SECRET_NAME } from './tenant';
import { workload, type BenchCall } from './workload';

export interface OverheadResult {
  events: number;
  rounds: number;
  concurrency: number;
  connectorCpuUsPerEvent: number;
  axiosCpuUsPerEvent: number;
  ratio: number;
  /**
   * Each round's own ratio (its connector and axios runs are adjacent, so they share the machine's
   * state at the time): the spread of the figure above on this machine, lowest to highest.
   */
  roundRatios: number[];
  /** The same connector lent Node's fetch (undici), a bare POST with Node's fetch, their ratio. */
  connectorOverFetchCpuUsPerEvent: number;
  fetchCpuUsPerEvent: number;
  ratioToFetch: number;
  connectorRequestsPerEvent: number;
  connectorCpuUsPerRequest: number;
  emptyDriverCpuUsPerEvent: number;
  method: string;
}

const CONCURRENCY = 16;

function cpuMicros(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

/** Runs calls with at most CONCURRENCY in flight; returns the CPU time it took, in µs. */
async function driveCpu(calls: BenchCall[], hooks: Hooks): Promise<number> {
  let next = 0;
  const before = cpuMicros();
  async function worker(): Promise<void> {
    while (next < calls.length) {
      const call = calls[next++] as BenchCall;
      // Outcomes are not the point here; a failure shows up in the request counts.
      await hooks[call.hook](...call.args).catch(() => undefined);
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, () => worker()));
  return cpuMicros() - before;
}

type Post = (path: string, body: unknown) => Promise<unknown>;

/** What a bare client sends per event: the same fields the connector writes, in one POST. */
function bareHooks(post: Post): Hooks {
  const send = (installed: boolean, args: unknown[]): Promise<unknown> => {
    const ids = (args[2] || {}) as Record<string, unknown>;
    const key = String(
      ids.customerId ||
        String(ids.email || '')
          .trim()
          .toLowerCase(),
    );
    const now = new Date().toISOString();
    return post(`/customers/${encodeURIComponent(key)}`, {
      walletStatus: installed ? args[3] : 'none',
      appleWalletInstalledAt: args[3] === 'apple' && installed ? now : null,
      googleWalletInstalledAt: args[3] === 'google' && installed ? now : null,
      walletLastChangedAt: now,
      walletLastEvent: installed ? 'installed' : 'uninstalled',
      event: { passId: args[0], passType: args[1], wallet: args[3], receivedAt: now },
    });
  };
  return {
    OnPassInstalled: (...args: unknown[]) => send(true, args),
    OnPassUninstalled: (...args: unknown[]) => send(false, args),
  };
}

/** Axios as a Node service would use it: its default (node:http) adapter. */
function axiosPost(baseUrl: string, apiKey: string): Post {
  const client = axios.create({ baseURL: baseUrl, headers: { 'x-api-key': apiKey } });
  return (path, body) => client.post(path, body);
}

/** The same POST with Node's fetch (undici), the baseline of the connector lent that fetch. */
function fetchPost(baseUrl: string, apiKey: string): Post {
  return async (path, body) => {
    const response = await fetch(baseUrl + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
      body: JSON.stringify(body),
    });
    return response.text();
  };
}

export async function measureOverhead(
  bundleCode: string,
  crm: { url: string; apiKey: string; requestCount: () => Promise<number> },
  cfg: BenchConfig,
): Promise<OverheadResult> {
  const load = (lent: unknown): Hooks =>
    loadBundle(bundleCode, {
      fetch: lent,
      timers: true,
      secrets: { [SECRET_NAME]: crm.apiKey },
      console: {},
    }).hooks as Hooks;
  const connector = load(nodeHttpFetch());
  const connectorOverFetch = load(fetch);
  const bare = bareHooks(axiosPost(crm.url, crm.apiKey));
  const bareFetch = bareHooks(fetchPost(crm.url, crm.apiKey));
  const noop: Hooks = {
    OnPassInstalled: () => Promise.resolve(),
    OnPassUninstalled: () => Promise.resolve(),
  };
  const calls = (tag: string): BenchCall[] =>
    workload(cfg.overheadCustomers, cfg.seed + 1, passTypeOf('overhead'), `${tag}-`).calls;

  await driveCpu(calls('warm-c'), connector);
  await driveCpu(calls('warm-a'), bare);
  await driveCpu(calls('warm-cf'), connectorOverFetch);
  await driveCpu(calls('warm-f'), bareFetch);
  const conn: number[] = [];
  const ax: number[] = [];
  const connF: number[] = [];
  const fe: number[] = [];
  const empty: number[] = [];
  const perRequest: number[] = [];
  let events = 0;
  for (let r = 0; r < cfg.overheadRounds; r++) {
    const c = calls(`r${r}-c`);
    const a = calls(`r${r}-a`);
    const cf = calls(`r${r}-cf`);
    const f = calls(`r${r}-f`);
    events = c.length;
    empty.push(await driveCpu(c, noop));
    const before = await crm.requestCount();
    conn.push(await driveCpu(c, connector));
    perRequest.push((await crm.requestCount()) - before);
    ax.push(await driveCpu(a, bare));
    connF.push(await driveCpu(cf, connectorOverFetch));
    fe.push(await driveCpu(f, bareFetch));
  }
  const e = median(empty);
  const connUs = (median(conn) - e) / events;
  const axUs = (median(ax) - e) / events;
  const connFUs = (median(connF) - e) / events;
  const feUs = (median(fe) - e) / events;
  const requests = median(perRequest);
  return {
    events,
    rounds: cfg.overheadRounds,
    concurrency: CONCURRENCY,
    connectorCpuUsPerEvent: round(connUs, 1),
    axiosCpuUsPerEvent: round(axUs, 1),
    ratio: round(connUs / axUs, 2),
    roundRatios: conn.map((c, i) => round((c - e) / ((ax[i] as number) - e), 2)).sort((a, b) => a - b),
    connectorOverFetchCpuUsPerEvent: round(connFUs, 1),
    fetchCpuUsPerEvent: round(feUs, 1),
    ratioToFetch: round(connFUs / feUs, 2),
    connectorRequestsPerEvent: round(requests / events, 3),
    connectorCpuUsPerRequest: round((median(conn) - e) / requests, 1),
    emptyDriverCpuUsPerEvent: round(e / events, 2),
    method:
      "process.cpuUsage (user+system) of the bench process around the same calls, 16 in flight; CRM in a child process answering at once; empty-driver CPU subtracted; a warm-up round each; fresh customers each round; median of alternating rounds; the connector lent a node:http fetch against bare axios (node:http), and lent Node's fetch against a bare fetch POST",
  };
}

/**
 * `npx tsx bench/overhead.ts [--rounds N] [--profile DIR] [--no-minify]`: this section alone (one
 * build, one CRM child). `--profile DIR` then writes a V8 CPU profile of connector rounds only
 * (node:inspector around them, nothing else), `--no-minify` keeps the bundle's function names.
 */
async function overheadOnly(): Promise<void> {
  const { randomBytes } = require('node:crypto') as typeof import('node:crypto');
  const fs = require('node:fs') as typeof import('node:fs');
  const { Session } = require('node:inspector') as typeof import('node:inspector');
  const { tmpdir } = require('node:os') as typeof import('node:os');
  const { join } = require('node:path') as typeof import('node:path');
  const { buildBundle } = require('../cli/build/bundle') as typeof import('../cli/build/bundle');
  const { unusedModuleStubs } = require('../cli/commands/build') as typeof import('../cli/commands/build');
  const { renderTenantEntry } = require('../cli/tenant-entry') as typeof import('../cli/tenant-entry');
  const { forkTs, nextMessage, stopChild } = require('./child') as typeof import('./child');
  const { FULL } = require('./config') as typeof import('./config');
  const { benchTenant } = require('./tenant') as typeof import('./tenant');
  const arg = (name: string): string | undefined => {
    const at = process.argv.indexOf(name);
    return at > 0 ? process.argv[at + 1] : undefined;
  };
  const rounds = Number(arg('--rounds') || FULL.overheadRounds);
  const cfg = { ...FULL, overheadRounds: rounds };
  const apiKey = randomBytes(16).toString('hex');
  const host = forkTs('sim-host.ts');
  const outDir = fs.mkdtempSync(join(tmpdir(), 'twc-overhead-'));
  try {
    host.send({ type: 'start', apiKey });
    const crm = await nextMessage<{ url: string }>(host, 'ready', 20_000);
    const rate = { requests: 1_000_000, intervalMs: 1000, maxConcurrent: cfg.maxConcurrent };
    const tenant = benchTenant([{ id: 'overhead', baseUrl: crm.url, configuredRate: rate }]);
    const entry = join(outDir, '.entry.ts');
    fs.writeFileSync(entry, renderTenantEntry(tenant));
    const built = await buildBundle({
      entry,
      tenantConfig: tenant,
      outDir,
      scriptName: 'overhead',
      stubModules: unusedModuleStubs(tenant),
      minify: !process.argv.includes('--no-minify'),
    });
    const code = fs.readFileSync(built.file, 'utf8');
    const profileDir = arg('--profile');
    if (profileDir) {
      const bundle = loadBundle(code, {
        fetch: nodeHttpFetch(),
        timers: true,
        secrets: { [SECRET_NAME]: apiKey },
        console: {},
      });
      const hooks = bundle.hooks as Hooks;
      const calls = (tag: string): BenchCall[] =>
        workload(cfg.overheadCustomers, cfg.seed + 1, passTypeOf('overhead'), `${tag}-`).calls;
      await driveCpu(calls('warm'), hooks);
      const session = new Session();
      session.connect();
      const post = (method: string, params?: object): Promise<unknown> =>
        new Promise((resolve, reject) =>
          session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))),
        );
      await post('Profiler.enable');
      await post('Profiler.start');
      let cpu = 0;
      let events = 0;
      for (let r = 0; r < rounds; r++) {
        const c = calls(`p${r}`);
        events += c.length;
        cpu += await driveCpu(c, hooks);
      }
      const { profile } = (await post('Profiler.stop')) as { profile: unknown };
      session.disconnect();
      fs.mkdirSync(profileDir, { recursive: true });
      const file = join(profileDir, `connector-${Date.now()}.cpuprofile`);
      fs.writeFileSync(file, JSON.stringify(profile));
      // The bundle and its source map beside the profile: its positions map back to the sources.
      fs.copyFileSync(built.mapFile, `${file}.bundle.js.map`);
      fs.copyFileSync(built.file, `${file}.bundle.js`);
      process.stdout.write(
        `${file}: ${events} events, ${round(cpu / events, 1)} µs CPU per event (profiled)\n`,
      );
      return;
    }
    const requestCount = async (): Promise<number> => {
      host.send({ type: 'requests' });
      return (await nextMessage<{ count: number }>(host, 'requests', 5000)).count;
    };
    const result = await measureOverhead(code, { url: crm.url, apiKey, requestCount }, cfg);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await stopChild(host);
    fs.rmSync(outDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  overheadOnly().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    },
  );
}
