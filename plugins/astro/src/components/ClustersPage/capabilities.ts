import { Cluster } from '@airflow-portal/plugin-astro-common';

/** What a cluster offers, as far as the API reports it. */
export interface ClusterCapabilities {
  keda: boolean;
  kubernetesVersion?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * The capabilities of a cluster if the API includes them. The `Cluster`
 * resource does not declare them yet; the backend learns them from the
 * cluster's discovery API, so the UI shows them as soon as they are served.
 */
export function capabilitiesOf(
  cluster: Cluster,
): ClusterCapabilities | undefined {
  const raw = 'capabilities' in cluster ? cluster.capabilities : undefined;
  if (!isRecord(raw) || typeof raw.keda !== 'boolean') {
    return undefined;
  }
  const version = isRecord(raw.serverVersion)
    ? raw.serverVersion.gitVersion
    : undefined;
  return {
    keda: raw.keda,
    kubernetesVersion: typeof version === 'string' ? version : undefined,
  };
}
