import {
  AnyParams,
  RouteFunc,
  RouteRef,
  SubRouteRef,
  useRouteRef,
} from '@backstage/core-plugin-api';
import {
  clustersRouteRef,
  createDeploymentRouteRef,
  deploymentRouteRef,
  editDeploymentRouteRef,
  organizationRouteRef,
  rootRouteRef,
  workspaceRouteRef,
} from '../routes';

/**
 * `useRouteRef` that gives `undefined` instead of throwing when the Airflow
 * pages are not mounted in the app (e.g. a legacy app that only shows the
 * entity cards). The hooks inside run unconditionally, so catching is safe.
 */
export function useOptionalRouteRef<Params extends AnyParams>(
  routeRef: RouteRef<Params> | SubRouteRef<Params>,
): RouteFunc<Params> | undefined {
  try {
    return useRouteRef(routeRef);
  } catch {
    return undefined;
  }
}

/** Builds links to the Airflow pages; `undefined` when they are not mounted. */
export interface AstroLinks {
  overview(): string | undefined;
  organization(organization: string): string | undefined;
  workspace(organization: string, workspace: string): string | undefined;
  deployment(organization: string, deployment: string): string | undefined;
  createDeployment(
    organization: string,
    workspace?: string,
  ): string | undefined;
  editDeployment(organization: string, deployment: string): string | undefined;
  clusters(): string | undefined;
}

/** Links to the Airflow pages, built from the plugin's route refs. */
export function useAstroLinks(): AstroLinks {
  const root = useOptionalRouteRef(rootRouteRef);
  const organization = useOptionalRouteRef(organizationRouteRef);
  const workspace = useOptionalRouteRef(workspaceRouteRef);
  const deployment = useOptionalRouteRef(deploymentRouteRef);
  const create = useOptionalRouteRef(createDeploymentRouteRef);
  const edit = useOptionalRouteRef(editDeploymentRouteRef);
  const clusters = useOptionalRouteRef(clustersRouteRef);
  return {
    overview: () => root?.(),
    organization: org => organization?.({ org }),
    workspace: (org, ws) => workspace?.({ org, ws }),
    deployment: (org, dep) => deployment?.({ org, dep }),
    createDeployment: (org, ws) => {
      const base = create?.({ org });
      return base && ws ? `${base}?workspace=${encodeURIComponent(ws)}` : base;
    },
    editDeployment: (org, dep) => edit?.({ org, dep }),
    clusters: () => clusters?.(),
  };
}
