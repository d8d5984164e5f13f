import { usePermission } from '@backstage/plugin-permission-react';

type AnyPermission = Parameters<typeof usePermission>[0]['permission'];
type BasicPermission = Extract<AnyPermission, { type: 'basic' }>;
type ResourcePermission = Extract<AnyPermission, { type: 'resource' }>;

/** What {@link useAstroPermission} answers. */
export interface AstroPermissionAnswer {
  allowed: boolean;
  loading: boolean;
}

/**
 * Whether the user may take an action. While the answer is loading the
 * action counts as not allowed, so a button never flashes enabled; the
 * backend enforces the permission anyway.
 *
 * Resource permissions need their resource ref: `<org>` for organization
 * permissions, `<org>/<ws>` for workspace ones (including
 * `astro.deployment.create`), `<org>/<dep>` for Deployment ones.
 */
export function useAstroPermission(
  permission: BasicPermission,
): AstroPermissionAnswer;
export function useAstroPermission(
  permission: ResourcePermission,
  resourceRef: string,
): AstroPermissionAnswer;
export function useAstroPermission(
  permission: BasicPermission | ResourcePermission,
  resourceRef?: string,
): AstroPermissionAnswer {
  const result = usePermission(
    permission.type === 'resource'
      ? { permission, resourceRef }
      : { permission },
  );
  return { allowed: result.allowed, loading: result.loading };
}

/** The resource ref of a workspace: `<org>/<ws>`. */
export function workspaceResourceRef(org: string, ws: string): string {
  return `${org}/${ws}`;
}

/** The resource ref of a Deployment: `<org>/<dep>`. */
export function deploymentResourceRef(deployment: {
  organization: string;
  name: string;
}): string {
  return `${deployment.organization}/${deployment.name}`;
}
