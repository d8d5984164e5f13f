/**
 * Paths of the portal's Airflow pages, relative to the app's base URL. The
 * frontend plugin mounts its pages under `/astro`; the entity provider and
 * the scaffolder actions link to them.
 *
 * @public
 */
export const astroPortalPaths = {
  /** The overview of organizations. */
  root: '/astro',
  workspace: (organization: string, workspace: string) =>
    `/astro/organizations/${encodeURIComponent(
      organization,
    )}/workspaces/${encodeURIComponent(workspace)}`,
  deployment: (organization: string, deployment: string) =>
    `/astro/organizations/${encodeURIComponent(
      organization,
    )}/deployments/${encodeURIComponent(deployment)}`,
} as const;

/**
 * The absolute URL of a portal path, e.g.
 * `astroPortalUrl('http://localhost:3000', astroPortalPaths.root)`.
 *
 * @public
 */
export function astroPortalUrl(appBaseUrl: string, path: string): string {
  return `${appBaseUrl.replace(/\/+$/, '')}${path}`;
}
