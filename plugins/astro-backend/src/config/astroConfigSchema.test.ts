import { loadConfigSchema } from '@backstage/config-loader';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { astroConfigJsonSchema } from './validateAstroConfig';

jest.setTimeout(120_000);

type Node = {
  properties?: Record<string, Node>;
  items?: Node;
  anyOf?: Node[];
  allOf?: Node[];
  oneOf?: Node[];
};

/** Every key path a JSON schema declares, arrays as `[]`. */
function keyPaths(node: Node, prefix: string, into = new Set<string>()) {
  for (const alternative of [
    ...(node.anyOf ?? []),
    ...(node.allOf ?? []),
    ...(node.oneOf ?? []),
  ]) {
    keyPaths(alternative, prefix, into);
  }
  if (node.items) {
    keyPaths(node.items, `${prefix}[]`, into);
  }
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    into.add(`${prefix}.${key}`);
    keyPaths(child, `${prefix}.${key}`, into);
  }
  return into;
}

async function declaredSchema(packageName: string): Promise<Node> {
  const schema = await loadConfigSchema({
    dependencies: [],
    packagePaths: [resolvePackagePath(packageName, 'package.json')],
  });
  const { schemas } = schema.serialize() as unknown as {
    schemas: Array<{ path: string; value: Node }>;
  };
  const entry = schemas.find(
    (s: { path: string }) =>
      s.path.endsWith('config.d.ts') &&
      resolvePackagePath(packageName, 'config.d.ts').endsWith(s.path),
  );
  if (!entry) {
    throw new Error(`No config.d.ts schema found for ${packageName}`);
  }
  return entry.value.properties!.astro;
}

describe('astroConfigSchema', () => {
  it('knows exactly the astro.* keys that config.d.ts documents', async () => {
    const documented = keyPaths(
      await declaredSchema('@airflow-portal/plugin-astro-backend'),
      'astro',
    );
    // astro.simulator belongs to the simulator module's config.d.ts.
    documented.add('astro.simulator');
    const validated = keyPaths(astroConfigJsonSchema() as Node, 'astro');

    const undocumented = [...validated].filter(k => !documented.has(k));
    const unvalidated = [...documented].filter(k => !validated.has(k));
    expect({ undocumented, unvalidated }).toEqual({
      undocumented: [],
      unvalidated: [],
    });
    expect(validated.size).toBeGreaterThan(100);
  });
});
