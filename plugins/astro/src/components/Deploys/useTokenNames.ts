import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import {
  Deployment,
  astroDeploymentTokensManagePermission,
  astroWorkspaceTokensManagePermission,
} from '@airflow-portal/plugin-astro-common';
import { astroApiRef } from '../../api';
import {
  useAstroPermission,
  deploymentResourceRef,
  workspaceResourceRef,
} from '../../hooks/useAstroPermission';
import { ApiToken } from './model';

const NONE: ReadonlyMap<string, ApiToken> = new Map();

/**
 * The API tokens that may have deployed to a Deployment, by id: its own
 * and its workspace's, as far as the user may list them. Tokens the user
 * may not list are simply missing; the history then shows their id.
 */
export function useTokenNames(
  deployment: Deployment,
  enabled: boolean = true,
): ReadonlyMap<string, ApiToken> {
  const astroApi = useApi(astroApiRef);
  const org = deployment.organization;
  const canListDeployment = useAstroPermission(
    astroDeploymentTokensManagePermission,
    deploymentResourceRef(deployment),
  ).allowed;
  const canListWorkspace = useAstroPermission(
    astroWorkspaceTokensManagePermission,
    workspaceResourceRef(org, deployment.workspace),
  ).allowed;
  const { value } = useAsync(async () => {
    if (!enabled) {
      return NONE;
    }
    const lists = await Promise.all([
      canListDeployment
        ? astroApi
            .listDeploymentTokens({ path: { org, dep: deployment.name } })
            .then(
              list => list.items,
              () => [],
            )
        : [],
      canListWorkspace
        ? astroApi
            .listWorkspaceTokens({ path: { org, ws: deployment.workspace } })
            .then(
              list => list.items,
              () => [],
            )
        : [],
    ]);
    return new Map(lists.flat().map(token => [token.id, token]));
  }, [
    astroApi,
    org,
    deployment.name,
    deployment.workspace,
    canListDeployment,
    canListWorkspace,
    enabled,
  ]);
  return value ?? NONE;
}
