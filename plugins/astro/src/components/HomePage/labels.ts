import { Organization, Workspace } from '@airflow-portal/plugin-astro-common';

/**
 * "Organization / Workspace" by titles (names when untitled): workspace
 * names and titles repeat across organizations.
 */
export function workspaceLabel(
  organization: Pick<Organization, 'name' | 'title'>,
  workspace: Pick<Workspace, 'name' | 'title'>,
): string {
  return `${organization.title || organization.name} / ${
    workspace.title || workspace.name
  }`;
}
