import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

// The TypeScript config type is generated from connector.manifest.json's configSchema (one source
// of truth); a schema change without regenerating it fails here. Run in a child process because
// the generator formats with Prettier, which cannot load inside Jest.
it('connector/config/tenant-config.generated.ts matches the manifest schema', () => {
  const root = join(__dirname, '../..');
  expect(() =>
    execFileSync(process.execPath, ['--import', 'tsx', 'cli/generate-config-types.ts', '--check'], {
      cwd: root,
      stdio: 'pipe',
    }),
  ).not.toThrow();
});
