/*
 * `yarn generate`: writes the files derived from the OpenAPI document and
 * the zod schemas. `yarn generate --check` writes nothing and fails when
 * any of them is stale (the test suite checks the same).
 */
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { generateApiFiles } from './generateApi';

async function main() {
  // Run from the repository root (`yarn generate` is a root script).
  const root = process.cwd();
  const check = process.argv.includes('--check');
  const stale: string[] = [];
  for (const file of await generateApiFiles(root)) {
    const target = resolve(root, file.path);
    const current = await readFile(target, 'utf8').catch(() => undefined);
    if (current === file.content) {
      continue;
    }
    stale.push(file.path);
    if (!check) {
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, file.content);
    }
  }
  if (check && stale.length > 0) {
    process.stderr.write(
      `Stale generated files (run \`yarn generate\`):\n${stale
        .map(path => `  ${path}`)
        .join('\n')}\n`,
    );
    process.exit(1);
  }
  process.stdout.write(
    stale.length > 0
      ? `${check ? 'Stale' : 'Wrote'}: ${stale.join(', ')}\n`
      : 'Generated files are up to date.\n',
  );
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
