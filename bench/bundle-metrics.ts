/**
 * Section 3, the bundle: the size of tenants/example.json's bundle (issue #15's figure) as
 * buildTenant reports it, by module too (minified, and gzipped: what an upload
 * and a cold fetch cost), and the time loadBundle takes to load it in a bare engine-like context
 * and have it register its hooks. loadBundle also rewrites the ES module into a script with acorn,
 * which the platform does not (it loads modules itself): the bundle's own load + register is timed
 * without that step (loadBundleScript on the rewritten script), and held against the target; the
 * rewrite and the whole loadBundle are reported beside it.
 */
import { performance } from 'node:perf_hooks';
import type { SizeByModule } from '../cli/build/analyze';
import { loadBundle, loadBundleScript, moduleToScript } from '../cli/build/load-bundle';
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
  /** loadBundle as a whole: the harness's module rewrite, then the bundle's own load + register. */
  loadRegisterMedianMs: number;
  moduleRewriteMedianMs: number;
  /** The bundle's own load + register in a bare context, without the rewrite (the held figure). */
  ownLoadRegisterMedianMs: number;
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
  const own: number[] = [];
  const options = { fetch, timers: true, secrets: { [SECRET_NAME]: 'k' }, console: {} };
  const registered = (bundle: { registrations: string[] }): void => {
    if (bundle.registrations.indexOf('runtime.wallet.passUpdater') < 0)
      throw new Error('the bundle did not register');
  };
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    registered(loadBundle(code, options));
    times.push(performance.now() - t0);
    const t1 = performance.now();
    const script = moduleToScript(code);
    rewrites.push(performance.now() - t1);
    const t2 = performance.now();
    registered(loadBundleScript(script, options));
    own.push(performance.now() - t2);
  }
  return {
    sizedTenant: sized.tenant.tenantId,
    bytes: sized.bytes,
    gzipBytes: sized.gzipBytes,
    loads: repeats,
    firstLoadMs: round(times[0] as number, 1),
    loadRegisterMedianMs: round(median(times), 1),
    moduleRewriteMedianMs: round(median(rewrites), 1),
    ownLoadRegisterMedianMs: round(median(own), 1),
    sizes: sized.sizes,
  };
}
