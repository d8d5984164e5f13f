import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const ROOT = resolve(__dirname, '../../../..');

describe('files generated from the OpenAPI document and the zod schemas', () => {
  // Runs `yarn generate --check` as its own process: openapi-typescript
  // loads ES modules that Jest's module system cannot.
  it('are up to date (run `yarn generate` after changing either)', async () => {
    const run = promisify(execFile)(
      process.execPath,
      [
        '--require',
        require.resolve('@backstage/cli/config/nodeTransform.cjs'),
        resolve(ROOT, 'plugins/astro-backend/scripts/generate-api/cli.ts'),
        '--check',
      ],
      { cwd: ROOT },
    );
    await expect(run).resolves.toMatchObject({
      stdout: 'Generated files are up to date.\n',
    });
  }, 120_000);
});
