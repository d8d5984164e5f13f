import { usePermission } from '@backstage/plugin-permission-react';

type AnyPermission = Parameters<typeof usePermission>[0]['permission'];

/**
 * Whether the user may take an action. While the answer is loading the
 * action counts as not allowed, so a button never flashes enabled; the
 * backend enforces the permission anyway.
 *
 * @param resourceRef - `<organization>/<deployment>` for Deployment permissions
 */
export function useAstroPermission(
  permission: AnyPermission,
  resourceRef?: string,
): { allowed: boolean; loading: boolean } {
  const result = usePermission(
    permission.type === 'resource'
      ? { permission, resourceRef }
      : { permission },
  );
  return { allowed: result.allowed, loading: result.loading };
}
