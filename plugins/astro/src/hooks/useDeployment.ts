import { useApi } from '@backstage/core-plugin-api';
import {
  Deployment,
  astroDeploymentChannel,
} from '@airflow-portal/plugin-astro-common';
import { astroApiRef } from '../api';
import { usePolled } from './usePolled';

/** How often a Deployment that is changing is read again. */
export const FAST_POLL_MS = 3000;
/** How often a settled Deployment is read again. */
export const SLOW_POLL_MS = 20000;

/**
 * Whether the platform is still working on a Deployment: provisioning,
 * rolling out a change, or deleting it.
 */
export function isInProgress(deployment: Deployment): boolean {
  return (
    deployment.status === 'CREATING' ||
    deployment.status === 'DEPLOYING' ||
    deployment.status === 'DELETING' ||
    deployment.observedGeneration < deployment.generation
  );
}

/**
 * How often to read something about a Deployment again: often while it
 * changes, now and then once settled, and not at all after a failure
 * without data (the error panel offers to try again).
 */
export function pollInterval(
  deployment: Deployment | undefined,
  failed: boolean,
): number | null {
  if (failed && !deployment) {
    return null;
  }
  return deployment && !isInProgress(deployment) ? SLOW_POLL_MS : FAST_POLL_MS;
}

/**
 * One Deployment, read again when the backend signals a change of it;
 * without signals, read again every few seconds while it changes and now
 * and then once it has settled (with signals, polling is a slow fallback).
 * The last value stays while a refresh loads. Nothing is fetched while
 * either name is empty.
 */
export function useDeployment(organization: string, name: string) {
  const astroApi = useApi(astroApiRef);
  const known = organization !== '' && name !== '';
  return usePolled(
    async () =>
      known
        ? astroApi.getDeployment({ path: { org: organization, dep: name } })
        : undefined,
    [astroApi, organization, name],
    (value, error) => (known ? pollInterval(value, Boolean(error)) : null),
    {
      liveChannel: known
        ? astroDeploymentChannel(organization, name)
        : undefined,
    },
  );
}
