/**
 * Section 3, the bundle: the size of tenants/example.json's bundle (issue #15's figure) as
 * buildTenant reports it, by module too (minified, and gzipped: what an upload
 * and a cold fetch cost), and the time loadBundle takes to load it in a bare engine-like context
 * and have it register its hooks. loadBundle also rewrites the ES module into a script with acorn
 * (the platform loads modules itself), so that share is timed apart and reported too.
 */
import { performance } from 'node:perf_hooks';
import type { SizeByModule } from '../cli/build/analyze';
import { loadBundle, moduleToScript } from '../cli/build/load-bundle';
import type { BuiltTenant } from '../cli/commands/build';
import { median, round } from './stats';
import { SECRET_NAME } from './tenant';

export interface BundleResult {
  /** Which tenant's bundle the sizes are of (the load is timed on the bench tenant's). */
  sizedTenant: string;
  bytes: number;
  gzipBytes: number;
  loads: number;
  firstLoadMs: number;
  loadRegisterMedianMs: number;
  moduleRewriteMedianMs: number;
  /** By module (esbuild metafile), when the build was asked to analyze. */
  sizes?: SizeByModule;
}

export function measureBundle(
  built: BuiltTenant,
  code: string,
  repeats: number,
  sized: BuiltTenant = built,
): BundleResult {
  const times: number[] = [];
  const rewrites: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    const bundle = loadBundle(code, { fetch, timers: true, secrets: { [SECRET_NAME]: 'k' }, console: {} });
    times.push(performance.now() - t0);
    if (bundle.registrations.indexOf('runtime.wallet.passUpdater') < 0)
      throw new Error('the bundle did not register');
    const t1 = performance.now();
    moduleToScript(code);
    rewrites.push(performance.now() - t1);
  }
  return {
    sizedTenant: sized.tenant.tenantId,
    bytes: sized.bytes,
    gzipBytes: sized.gzipBytes,
    loads: repeats,
    firstLoadMs: round(times[0] as number, 1),
    loadRegisterMedianMs: round(median(times), 1),
    moduleRewriteMedianMs: round(median(rewrites), 1),
    sizes: sized.sizes,
  };
}
