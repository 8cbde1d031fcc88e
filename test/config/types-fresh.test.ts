import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// The TypeScript config type is generated (cli/config/generate.ts) from the schema the destination
// definitions build; definitions-schema.test.ts runs the generator's --check over every output.
it('connector/config/tenant-config.generated.ts says it is generated and by what', () => {
  const text = readFileSync(join(__dirname, '../../connector/config/tenant-config.generated.ts'), 'utf8');
  expect(text.split('\n')[0]).toContain('cli/config/generate.ts');
  expect(text).toContain("type: 'hubspot' | 'salesforce' | 'braze' | 'klaviyo' | 'dynamics' | 'http';");
});
