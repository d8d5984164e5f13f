/** The tabs of the Deployment page, in the order they are shown. */
export const DEPLOYMENT_TABS = [
  'overview',
  'workers',
  'dags',
  'deploys',
  'incidents',
  'environment',
  'access',
  'settings',
  'events',
] as const;

/** One tab of the Deployment page, as written in `?tab=`. */
export type DeploymentTab = (typeof DEPLOYMENT_TABS)[number];

/** What each tab is called on screen. */
export const DEPLOYMENT_TAB_LABELS: Record<DeploymentTab, string> = {
  overview: 'Overview',
  workers: 'Workers & queues',
  dags: 'DAGs',
  deploys: 'Deploys',
  incidents: 'Incidents',
  environment: 'Environment',
  access: 'Access',
  settings: 'Settings',
  events: 'Events',
};

/** The tab named by `?tab=`; Overview when it is missing or unknown. */
export function deploymentTabOf(params: URLSearchParams): DeploymentTab {
  const tab = params.get('tab');
  return (DEPLOYMENT_TABS as readonly string[]).includes(tab ?? '')
    ? (tab as DeploymentTab)
    : 'overview';
}

/**
 * The address parameters that show `tab`, keeping every other parameter.
 * Overview is the page's default, so it is not written.
 */
export function withDeploymentTab(
  params: URLSearchParams,
  tab: DeploymentTab,
): URLSearchParams {
  const next = new URLSearchParams(params);
  if (tab === 'overview') {
    next.delete('tab');
  } else {
    next.set('tab', tab);
  }
  return next;
}
