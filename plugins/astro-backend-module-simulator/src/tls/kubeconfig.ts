/**
 * The kubeconfig that points kubectl, helm and the official clients at the
 * simulator's HTTPS endpoint.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** What a kubeconfig of the simulator names. */
export interface KubeconfigParts {
  /** Name of the cluster, user and context. */
  name: string;
  /** The HTTPS URL of the API. */
  server: string;
  /** PEM of the CA to trust; the system's roots when absent. */
  ca?: string;
  token: string;
  /** The context's namespace. */
  namespace?: string;
}

/**
 * A kubeconfig (YAML) with one cluster, user and context. Every string is
 * written as a JSON string, which YAML reads as a double-quoted scalar.
 */
export function kubeconfigYaml(parts: KubeconfigParts): string {
  const q = (value: string) => JSON.stringify(value);
  const caLine = parts.ca
    ? [
        `    certificate-authority-data: ${q(
          Buffer.from(parts.ca).toString('base64'),
        )}`,
      ]
    : [];
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${q(parts.name)}`,
    '  cluster:',
    `    server: ${q(parts.server)}`,
    ...caLine,
    'users:',
    `- name: ${q(parts.name)}`,
    '  user:',
    `    token: ${q(parts.token)}`,
    'contexts:',
    `- name: ${q(parts.name)}`,
    '  context:',
    `    cluster: ${q(parts.name)}`,
    `    user: ${q(parts.name)}`,
    `    namespace: ${q(parts.namespace ?? 'default')}`,
    `current-context: ${q(parts.name)}`,
    '',
  ].join('\n');
}

/**
 * Writes a kubeconfig readable by its owner only (it holds the token),
 * through a temporary file and a rename so that readers never see half a
 * file.
 */
export async function writeKubeconfigFile(
  path: string,
  content: string,
): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const partial = `${path}.${randomBytes(4).toString('hex')}.partial`;
  await writeFile(partial, content, { mode: 0o600 });
  await rename(partial, path);
}

/**
 * Removes a kubeconfig written by {@link writeKubeconfigFile} unless
 * another simulator has overwritten it since.
 */
export async function removeKubeconfigFile(
  path: string,
  content: string,
): Promise<void> {
  try {
    if ((await readFile(path, 'utf8')) === content) {
      await unlink(path);
    }
  } catch {
    // Already gone.
  }
}
