import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import { renderDeployment } from './renderDeployment';
import { renderMatrix } from './__testUtils__/renderInputs';
import { contentHash } from './hash';
import { DAG_SYNC_SCRIPT_KEY, NAMES } from './names';
import type { RenderResult } from './types';

/*
 * Protects the rendered objects of every matrix case against unintended
 * change: the output must equal the reviewed golden file byte for byte.
 * After an intended change, regenerate with
 *   UPDATE_GOLDEN=1 yarn test plugins/astro-backend/src/render/golden
 * and review the diff of __golden__/.
 */

const GOLDEN_DIR = join(__dirname, '__golden__');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

/**
 * The DAG sync script (assets/dag_sync.py, tested on its own) stands in
 * the golden files as its hash: a change to it still shows, in that line
 * and in the checksum annotations of the pods that run it.
 */
function withScriptAsHash(object: KubernetesObject): KubernetesObject {
  const data = object.data as Record<string, string> | undefined;
  if (
    object.kind !== 'ConfigMap' ||
    object.metadata.name !== NAMES.dagSyncConfigMap ||
    !data?.[DAG_SYNC_SCRIPT_KEY]
  ) {
    return object;
  }
  return {
    ...object,
    data: {
      ...data,
      [DAG_SYNC_SCRIPT_KEY]: `<assets/dag_sync.py, ${
        data[DAG_SYNC_SCRIPT_KEY].length
      } characters, content hash ${contentHash(data[DAG_SYNC_SCRIPT_KEY])}>`,
    },
  };
}

function toGoldenYaml(name: string, result: RenderResult): string {
  const header = [
    `# Golden output of renderDeployment for the case "${name}".`,
    '# Generated: UPDATE_GOLDEN=1 yarn test plugins/astro-backend/src/render/golden',
    `# ${result.objects.length} objects; result hash ${result.hash}`,
    ...result.conditions.map(
      c => `# condition ${c.type}=${c.status} (${c.reason}): ${c.message}`,
    ),
  ].join('\n');
  const documents = result.objects.map(
    ({ phase, object }) =>
      `# phase: ${phase}\n${stringify(withScriptAsHash(object), {
        lineWidth: 0,
        aliasDuplicateObjects: false,
      })}`,
  );
  return `${header}\n---\n${documents.join('---\n')}`;
}

describe('renderDeployment golden files', () => {
  const cases = renderMatrix();

  it.each(cases.map(c => [c.name, c] as const))(
    '%s renders exactly its golden file',
    (_name, { name, input }) => {
      const actual = toGoldenYaml(name, renderDeployment(input));
      const file = join(GOLDEN_DIR, `${name}.golden.yaml`);
      if (UPDATE) {
        writeFileSync(file, actual);
        return;
      }
      if (!existsSync(file)) {
        throw new Error(
          `${file} is missing; run with UPDATE_GOLDEN=1 to create it`,
        );
      }
      expect(actual).toBe(readFileSync(file, 'utf8'));
    },
  );

  it('keeps no golden file of a case that no longer exists', () => {
    const expected = new Set(cases.map(c => `${c.name}.golden.yaml`));
    const stale = readdirSync(GOLDEN_DIR).filter(
      file => file.endsWith('.golden.yaml') && !expected.has(file),
    );
    expect(stale).toEqual([]);
  });
});
