import { AstroLinks } from '../../hooks/useAstroLinks';
import { Crumb } from './AstroContent';

/**
 * The trail to a page about a Deployment: Airflow / organization /
 * workspace / Deployment, then the page itself. The workspace is left out
 * while it is not known yet (the Deployment is still loading); `deployment`
 * is left out on pages that come before it exists (Create).
 */
export function deploymentBreadcrumbs(
  links: AstroLinks,
  where: { organization: string; workspace?: string; deployment?: string },
  page?: string,
): Crumb[] {
  const { organization, workspace, deployment } = where;
  const crumbs: Crumb[] = [
    { label: 'Airflow', href: links.overview() },
    { label: organization, href: links.organization(organization) },
  ];
  if (workspace) {
    crumbs.push({
      label: workspace,
      href: links.workspace(organization, workspace),
    });
  }
  if (deployment) {
    crumbs.push({
      label: deployment,
      // The Deployment's own page shows it as the current step, not a link.
      href: page ? links.deployment(organization, deployment) : undefined,
    });
  }
  if (page) {
    crumbs.push({ label: page });
  }
  return crumbs;
}
