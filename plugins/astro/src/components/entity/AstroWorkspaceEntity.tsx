import { InfoCard } from '@backstage/core-components';
import { useAstroLinks } from '../../hooks/useAstroLinks';
import { WorkspaceDeployments } from '../WorkspacePage';
import { NotAnAstroEntity } from './NotAnAstroEntity';
import { useAstroEntityResource } from './useAstroEntity';

/** The Deployments of an AstroWorkspace entity, live from the Astro API. */
export function AstroWorkspaceDeploymentsEntityContent() {
  const resource = useAstroEntityResource();
  if (resource?.type !== 'workspace') {
    return <NotAnAstroEntity expected="AstroWorkspace" />;
  }
  return (
    <WorkspaceDeployments org={resource.organization} ws={resource.workspace} />
  );
}

/** A card of an AstroWorkspace entity's Deployments. */
export function AstroWorkspaceDeploymentsEntityCard() {
  const links = useAstroLinks();
  const resource = useAstroEntityResource();
  const page =
    resource?.type === 'workspace'
      ? links.workspace(resource.organization, resource.workspace)
      : undefined;
  return (
    <InfoCard
      title="Airflow Deployments"
      deepLink={page ? { title: 'Open the workspace', link: page } : undefined}
    >
      <AstroWorkspaceDeploymentsEntityContent />
    </InfoCard>
  );
}
