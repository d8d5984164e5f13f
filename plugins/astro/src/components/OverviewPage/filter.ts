import {
  Deployment,
  DeploymentStatus,
  Workspace,
} from '@airflow-portal/plugin-astro-common';

/** What the overview is narrowed to. */
export interface OverviewFilter {
  /** Matched against names and titles, case-insensitively. */
  text: string;
  status?: DeploymentStatus;
}

/** A workspace the filter keeps, with the Deployments that matched. */
export interface WorkspaceMatch {
  workspace: Workspace;
  deployments: Deployment[];
  /** Deployments that match the filter; all of them when it is empty. */
  matches: Deployment[];
}

function includes(haystack: string, needle: string) {
  return haystack.toLocaleLowerCase('en').includes(needle);
}

/** Whether a filter narrows anything. */
export function isFiltering(filter: OverviewFilter) {
  return filter.text.trim() !== '' || filter.status !== undefined;
}

/**
 * The workspaces to show: a workspace stays when its own name or title
 * matches the text, or when one of its Deployments matches the text and the
 * status.
 */
export function filterWorkspaces(
  workspaces: Workspace[],
  deployments: Deployment[],
  filter: OverviewFilter,
): WorkspaceMatch[] {
  const text = filter.text.trim().toLocaleLowerCase('en');
  const byWorkspace = new Map<string, Deployment[]>();
  for (const deployment of deployments) {
    const list = byWorkspace.get(deployment.workspace) ?? [];
    list.push(deployment);
    byWorkspace.set(deployment.workspace, list);
  }
  const result: WorkspaceMatch[] = [];
  for (const workspace of workspaces) {
    const own = byWorkspace.get(workspace.name) ?? [];
    const workspaceMatchesText =
      !text ||
      includes(workspace.name, text) ||
      includes(workspace.title, text);
    const matches = own.filter(
      d =>
        (!filter.status || d.status === filter.status) &&
        (workspaceMatchesText ||
          includes(d.name, text) ||
          includes(d.title, text)),
    );
    const keep = filter.status
      ? matches.length > 0
      : workspaceMatchesText || matches.length > 0;
    if (keep) {
      result.push({ workspace, deployments: own, matches });
    }
  }
  return result;
}
