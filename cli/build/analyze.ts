/**
 * The upload bundle's size by module, from esbuild's metafile: the connector entry and the engine
 * prelude bundled again with the build's own plugins, minified at es2020 (before the ES5 lowering),
 * each input's bytes in that output. What the ES5 lowering, Babel's helpers and the module glue add
 * is the final size minus their sum, reported as one line of its own.
 */
import * as path from 'node:path';
import * as esbuild from 'esbuild';

export interface ModuleSize {
  /** Repository-relative path, `npm:<package>/<file>`, or a build namespace (`twc:tenant-config`). */
  module: string;
  bytes: number;
}

export interface SizeByModule {
  /** Every input of the main bundle and of the prelude, largest first. */
  modules: ModuleSize[];
  /** Final bytes minus the modules' sum: ES5 lowering, Babel helpers, imports, hook tail. */
  loweringBytes: number;
}

export const LOWERING_LINE = '(ES5 lowering, Babel helpers, module glue)';

function moduleName(input: string, root: string): string {
  const nm = input.lastIndexOf('node_modules/');
  if (nm >= 0) return `npm:${input.slice(nm + 'node_modules/'.length)}`;
  if (/^[a-z-]+:/.test(input)) return input;
  return path.relative(root, path.resolve(process.cwd(), input)).split(path.sep).join('/');
}

/** Bytes each input contributes to `options`' output, minified (es2020), by module name. */
export async function inputSizes(options: esbuild.BuildOptions, root: string): Promise<ModuleSize[]> {
  const built = await esbuild.build({
    ...options,
    bundle: true,
    minify: true,
    sourcemap: false,
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
  const out: ModuleSize[] = [];
  for (const output of Object.values(built.metafile.outputs)) {
    for (const [input, info] of Object.entries(output.inputs)) {
      if (info.bytesInOutput > 0) out.push({ module: moduleName(input, root), bytes: info.bytesInOutput });
    }
  }
  return out;
}

export function sizeByModule(parts: ModuleSize[], finalBytes: number): SizeByModule {
  const modules = parts.slice().sort((a, b) => b.bytes - a.bytes);
  const sum = modules.reduce((n, m) => n + m.bytes, 0);
  return { modules, loweringBytes: finalBytes - sum };
}

/**
 * One line per npm package, per connector folder (connector/delivery, connector/platform/engine...)
 * and per build namespace: the grain a size budget is argued at.
 */
export function groupByPackage(modules: ModuleSize[]): ModuleSize[] {
  const groups = new Map<string, number>();
  for (const m of modules) {
    const key = m.module.startsWith('npm:')
      ? m.module.replace(/^npm:((@[^/]+\/)?[^/]+).*$/, 'npm:$1')
      : m.module.indexOf('/') >= 0
        ? m.module.slice(0, m.module.lastIndexOf('/'))
        : m.module;
    groups.set(key, (groups.get(key) || 0) + m.bytes);
  }
  return Array.from(groups, ([module, bytes]) => ({ module, bytes })).sort((a, b) => b.bytes - a.bytes);
}

export function describeSizes(sizes: SizeByModule, finalBytes: number, grouped = true): string {
  const kb = (n: number): string => `${(n / 1024).toFixed(1)} KB`.padStart(9);
  const rows = grouped ? groupByPackage(sizes.modules) : sizes.modules;
  const lines = rows.map((m) => `${kb(m.bytes)}  ${m.module}`);
  lines.push(`${kb(sizes.loweringBytes)}  ${LOWERING_LINE}`, `${kb(finalBytes)}  total`);
  return lines.join('\n');
}
