import { Config } from '@backstage/config';
import { ImagePullCredential } from '@airflow-portal/plugin-astro-node';

const REGISTRY_HOST = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:[0-9]+)?$/i;

/**
 * An `imagePullCredentials` list of app config (a cluster's or a runtime
 * release's); `where` names its owner in errors, e.g.
 * `Cluster "prod" in astro.clusters`.
 */
export function readImagePullCredentials(
  entries: Config[] | undefined,
  where: string,
): ImagePullCredential[] | undefined {
  if (!entries) {
    return undefined;
  }
  return entries.map((entry, index) => {
    const registry = entry.getString('registry');
    if (!REGISTRY_HOST.test(registry)) {
      throw new Error(
        `${where}: imagePullCredentials[${index}].registry must be a registry host such as registry.example.com or ghcr.io, not a URL`,
      );
    }
    return {
      registry,
      username: entry.getString('username'),
      password: entry.getString('password'),
    };
  });
}
